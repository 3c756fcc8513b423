import { Type } from 'typebox';

/** The configuration's sections for what the box talks to beside its screens: `rfid` (the card reader) and `mqtt` (home automation). */

const TOPIC_ID = '^(?!all$)[a-z0-9_-]*$';

export const RfidSchema = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description: 'Read an RFID card reader (a USB reader that types like a keyboard).',
      requiresRestart: true,
    }),
    devices: Type.Array(Type.String({ pattern: '^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$' }), {
      default: ['08ff:0009', 'ffff:0035', '16c0:27db'],
      description: 'USB vendor:product IDs of accepted readers (from `lsusb`); keep them in step with the udev rule.',
      requiresRestart: true,
      fileOnly: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const MqttSchema = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description: 'Connect to an MQTT broker: Home Assistant and fleet operators see and steer the box.',
      requiresRestart: true,
      fileOnly: true,
    }),
    url: Type.String({
      default: 'mqtt://127.0.0.1:1883',
      pattern: '^(mqtts?|wss?)://',
      description: 'The broker: `mqtt://host:1883`, `mqtts://host:8883` for TLS, or `ws://`/`wss://`.',
      requiresRestart: true,
      fileOnly: true,
    }),
    username: Type.String({
      default: '',
      description: 'User name at the broker; empty: none, or `$MOODBOX_MQTT_USERNAME`.',
      requiresRestart: true,
      fileOnly: true,
    }),
    passwordFile: Type.String({
      default: '',
      description: 'A file holding the broker password (readable by Moodbox only); `$MOODBOX_MQTT_PASSWORD` wins over it.',
      requiresRestart: true,
      fileOnly: true,
    }),
    caFile: Type.String({
      default: '',
      description: "PEM file of the CA that signed the broker's certificate, for `mqtts://` with a private CA; empty: the system's CAs.",
      requiresRestart: true,
      fileOnly: true,
    }),
    certFile: Type.String({
      default: '',
      description: 'PEM client certificate, when the broker authenticates clients by certificate.',
      requiresRestart: true,
      fileOnly: true,
    }),
    keyFile: Type.String({ default: '', description: "The client certificate's PEM key.", requiresRestart: true, fileOnly: true }),
    site: Type.String({
      default: 'home',
      minLength: 1,
      pattern: TOPIC_ID,
      description: 'The site this box belongs to (a café, a branch): topics are `moodbox/<site>/<box>/…`. Letters, digits, `_`, `-`.',
      requiresRestart: true,
      fileOnly: true,
    }),
    box: Type.String({
      default: '',
      pattern: TOPIC_ID,
      description: "This box's id within its site; empty: the host name. Not `all` (that addresses the whole site).",
      requiresRestart: true,
      fileOnly: true,
    }),
    homeAssistant: Type.Boolean({
      default: true,
      description: 'Announce the box to Home Assistant (MQTT device discovery) and take its commands.',
      requiresRestart: true,
      fileOnly: true,
    }),
    discoveryPrefix: Type.String({
      default: 'homeassistant',
      minLength: 1,
      description: "Home Assistant's discovery prefix.",
      requiresRestart: true,
      fileOnly: true,
    }),
    fleet: Type.Boolean({
      default: false,
      description:
        "Take fleet operators' commands (volume cap, quiet hours, camera hours, policy, rescan, restart) and send play and mood events.",
      requiresRestart: true,
      fileOnly: true,
    }),
    shareNames: Type.Boolean({
      default: false,
      description: "Include the name of whoever is signed in at the kiosk in the box's state on the broker.",
      requiresRestart: true,
      fileOnly: true,
    }),
    protocolVersion: Type.Union([Type.Literal(5), Type.Literal(4)], {
      default: 5,
      description:
        'MQTT 5, so the broker never sends the box more than 68 KiB in one message; 4 (MQTT 3.1.1) for a broker that speaks only that.',
      requiresRestart: true,
      fileOnly: true,
    }),
    heartbeatS: Type.Integer({
      default: 30,
      minimum: 5,
      maximum: 3600,
      description: 'Seconds between heartbeats (and health updates) on the broker.',
      requiresRestart: true,
      fileOnly: true,
    }),
  },
  { additionalProperties: false, default: {} },
);
