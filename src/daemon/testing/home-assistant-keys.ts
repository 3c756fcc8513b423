/**
 * The configuration keys Home Assistant documents for MQTT discovery (home-assistant.io,
 * `integrations/mqtt` "Device discovery payload" and each `integrations/<platform>.mqtt` page),
 * for checking Moodbox's discovery message the way Home Assistant reads it: every key known for
 * its platform, every required key present.
 */

/** Keys of the device-based discovery message's root. `device` and `origin` are required there. */
export const DEVICE_DISCOVERY_ROOT = {
  required: ['device', 'origin', 'components'],
  allowed: [
    'device',
    'origin',
    'components',
    'availability',
    'availability_topic',
    'availability_mode',
    'command_topic',
    'state_topic',
    'qos',
    'encoding',
  ],
} as const;

/** Keys of the `device` mapping. */
export const DEVICE_KEYS = [
  'configuration_url',
  'connections',
  'hw_version',
  'identifiers',
  'manufacturer',
  'model',
  'model_id',
  'name',
  'serial_number',
  'suggested_area',
  'sw_version',
  'via_device',
] as const;

/** Keys of the `origin` mapping; `name` is required. */
export const ORIGIN_KEYS = ['name', 'sw_version', 'support_url'] as const;

/** Keys of an `availability` list entry; `topic` is required. */
export const AVAILABILITY_KEYS = ['topic', 'payload_available', 'payload_not_available', 'value_template'] as const;

/** Options every entity platform documents. */
const ENTITY = [
  'platform',
  'unique_id',
  'name',
  'icon',
  'entity_category',
  'enabled_by_default',
  'json_attributes_topic',
  'json_attributes_template',
  'object_id',
  'default_entity_id',
  'qos',
  'encoding',
  'availability',
  'availability_topic',
  'availability_mode',
  'availability_template',
  'payload_available',
  'payload_not_available',
  'device',
  'entity_picture',
] as const;

/** Per platform: its required keys and every key it documents. */
export const PLATFORM_KEYS: Record<string, { entity: boolean; required: readonly string[]; allowed: readonly string[] }> = {
  sensor: {
    entity: true,
    required: ['state_topic'],
    allowed: [
      ...ENTITY,
      'state_topic',
      'value_template',
      'unit_of_measurement',
      'device_class',
      'state_class',
      'expire_after',
      'force_update',
      'last_reset_value_template',
      'options',
      'suggested_display_precision',
    ],
  },
  binary_sensor: {
    entity: true,
    required: ['state_topic'],
    allowed: [
      ...ENTITY,
      'state_topic',
      'value_template',
      'payload_on',
      'payload_off',
      'device_class',
      'expire_after',
      'force_update',
      'off_delay',
    ],
  },
  select: {
    entity: true,
    required: ['command_topic', 'options'],
    allowed: [...ENTITY, 'command_topic', 'command_template', 'options', 'optimistic', 'retain', 'state_topic', 'value_template'],
  },
  number: {
    entity: true,
    required: ['command_topic'],
    allowed: [
      ...ENTITY,
      'command_topic',
      'command_template',
      'device_class',
      'min',
      'max',
      'step',
      'mode',
      'optimistic',
      'payload_reset',
      'retain',
      'state_topic',
      'unit_of_measurement',
      'value_template',
    ],
  },
  button: {
    entity: true,
    required: ['command_topic'],
    allowed: [...ENTITY, 'command_topic', 'command_template', 'device_class', 'payload_press', 'retain'],
  },
  switch: {
    entity: true,
    required: ['command_topic'],
    allowed: [
      ...ENTITY,
      'command_topic',
      'command_template',
      'device_class',
      'optimistic',
      'payload_on',
      'payload_off',
      'retain',
      'state_on',
      'state_off',
      'state_topic',
      'value_template',
    ],
  },
  /** The tag scanner is not an entity: no unique id; its `topic` carries each scanned tag's id. */
  tag: { entity: false, required: ['topic'], allowed: ['platform', 'topic', 'value_template', 'device'] },
};

/** Every way a discovery message breaks the documented schema, as readable lines; empty when it follows it. */
export function discoveryProblems(topic: string, payload: Record<string, unknown>, prefix = 'homeassistant'): string[] {
  const problems: string[] = [];
  const match = new RegExp(`^${prefix}/device/([a-zA-Z0-9_-]+)/config$`).exec(topic);
  if (match === null) problems.push(`topic ${topic}: expected ${prefix}/device/<object_id>/config with [a-zA-Z0-9_-]`);
  const unknown = (where: string, object: Record<string, unknown>, allowed: readonly string[]): void => {
    for (const key of Object.keys(object)) if (!allowed.includes(key)) problems.push(`${where}: undocumented key \`${key}\``);
  };
  const missing = (where: string, object: Record<string, unknown>, required: readonly string[]): void => {
    for (const key of required) if (!(key in object)) problems.push(`${where}: required key \`${key}\` missing`);
  };
  unknown('root', payload, DEVICE_DISCOVERY_ROOT.allowed);
  missing('root', payload, DEVICE_DISCOVERY_ROOT.required);
  const device = (payload['device'] ?? {}) as Record<string, unknown>;
  unknown('device', device, DEVICE_KEYS);
  if (!('identifiers' in device) && !('connections' in device)) problems.push('device: needs `identifiers` or `connections`');
  const origin = (payload['origin'] ?? {}) as Record<string, unknown>;
  unknown('origin', origin, ORIGIN_KEYS);
  missing('origin', origin, ['name']);
  for (const [i, entry] of ((payload['availability'] ?? []) as Array<Record<string, unknown>>).entries()) {
    unknown(`availability[${i}]`, entry, AVAILABILITY_KEYS);
    missing(`availability[${i}]`, entry, ['topic']);
  }
  const uniqueIds = new Set<unknown>();
  for (const [id, component] of Object.entries((payload['components'] ?? {}) as Record<string, Record<string, unknown>>)) {
    const where = `components.${id}`;
    if (!/^[a-zA-Z0-9_-]+$/.test(id)) problems.push(`${where}: the component id must be [a-zA-Z0-9_-]`);
    const platform = String(component['platform']);
    const spec = PLATFORM_KEYS[platform];
    if (spec === undefined) {
      problems.push(`${where}: unknown platform \`${platform}\``);
      continue;
    }
    unknown(where, component, spec.allowed);
    missing(where, component, spec.required);
    const hasStateTopic = 'state_topic' in component || 'state_topic' in payload;
    if (spec.required.includes('state_topic') && !hasStateTopic) problems.push(`${where}: no state_topic`);
    if (spec.entity) {
      if (typeof component['unique_id'] !== 'string') problems.push(`${where}: an entity needs a \`unique_id\``);
      if (uniqueIds.has(component['unique_id'])) problems.push(`${where}: unique_id used twice`);
      uniqueIds.add(component['unique_id']);
    }
    if ('options' in component && !(Array.isArray(component['options']) && component['options'].length > 0))
      problems.push(`${where}: options must be a non-empty list`);
    if (platform === 'number' && 'mode' in component && !['auto', 'box', 'slider'].includes(String(component['mode'])))
      problems.push(`${where}: mode must be auto, box or slider`);
  }
  return problems;
}
