import { spawnSync } from 'node:child_process';

/** An entity of Moodbox's discovery message, as far as its state templates go. */
export interface TemplatedEntity {
  platform: string;
  value_template?: string;
  availability?: Array<{ topic: string; value_template?: string; payload_available?: string }>;
}

/** What Home Assistant makes of one entity given the box's state. */
export interface EntityView {
  available: boolean;
  /** The rendered state, while available. */
  value?: string;
  /**
   * What Home Assistant would log or refuse for this state: a template reading a key that is not
   * there (it renders the value template even while the entity is unavailable, and warns each
   * time), or a state longer than its 255-character limit (it shows `unknown` instead).
   */
  problems: string[];
}

/**
 * What Home Assistant shows for each entity with a state template, given the box's state: each
 * template rendered by Jinja2 (python3-jinja2), as Home Assistant renders it, against `value_json`,
 * with undefined keys reported (Home Assistant's "Template variable warning"). An entity is
 * available when every availability entry on the state topic renders its `payload_available`.
 */
export function homeAssistantView(components: Record<string, TemplatedEntity>, state: Record<string, unknown>): Record<string, EntityView> {
  const templates: Record<string, { value?: string | undefined; availability: Array<[string, string]> }> = {};
  for (const [id, entity] of Object.entries(components)) {
    const availability = (entity.availability ?? [])
      .filter((a) => a.value_template !== undefined)
      .map((a): [string, string] => [a.value_template ?? '', a.payload_available ?? 'online']);
    if (entity.value_template === undefined && availability.length === 0) continue;
    templates[id] = { value: entity.value_template, availability };
  }
  const script = [
    'import json, sys, jinja2',
    // Home Assistant's own template environment logs every undefined key it reads; a strict one says which.
    'env = jinja2.Environment(undefined=jinja2.StrictUndefined)',
    'given = json.load(sys.stdin)',
    'state = given["state"]',
    'out = {}',
    'for id, t in given["templates"].items():',
    '    problems = []',
    '    def render(tpl):',
    '        try:',
    '            return env.from_string(tpl).render(value_json=state).strip()',
    '        except jinja2.UndefinedError as e:',
    '            problems.append("template: " + str(e))',
    '            return ""',
    '    available = all(render(tpl) == ok for tpl, ok in t["availability"])',
    '    out[id] = {"available": available, "problems": problems}',
    '    if t.get("value") is not None:',
    '        value = render(t["value"])',
    '        if len(value) > 255:',
    '            problems.append("state longer than 255 characters: %d" % len(value))',
    '        if available:',
    '            out[id]["value"] = value',
    'json.dump(out, sys.stdout)',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script], { input: JSON.stringify({ templates, state }), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Jinja2 (python3-jinja2) is needed for this test: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, EntityView>;
}

/** Every problem Home Assistant would have with any of `states`, as `entity: problem`. */
export function homeAssistantProblems(
  components: Record<string, TemplatedEntity>,
  states: ReadonlyArray<Record<string, unknown>>,
): string[] {
  const problems = new Set<string>();
  for (const state of states) {
    for (const [id, view] of Object.entries(homeAssistantView(components, state)))
      for (const p of view.problems) problems.add(`${id}: ${p}`);
  }
  return [...problems];
}
