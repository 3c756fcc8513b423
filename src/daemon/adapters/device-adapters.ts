/**
 * The devices' real adapters, built for the composition root (`main.ts`): mpv, the USB RFID reader
 * (node-hid loaded only when it is on) and the broker connection (mqtt.js, only when MQTT is on).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { installPath } from '../config/paths.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../../kernel/clock.js';
import { ConfigError } from '../config/config-error.js';
import type { Logger } from '../logging.js';
import type { MqttParts } from '../mqtt/mqtt-services.js';
import { boxTopics } from '../mqtt/fleet-topics.js';
import { topicId } from '../mqtt/mqtt-connection.js';
import { MqttJsConnection } from '../mqtt/mqtt-js-connection.js';
import { HidRfidReader, nodeHidBackend } from '../rfid/hid-rfid-reader.js';
import { audioOutputArgs, resolveAudioOutput, snapcastPipe } from '../../player/audio-output.js';
import { MpvPlayer } from '../../player/mpv-player.js';

/** mpv, with the configured output, arguments and volume limits. */
export function mpvPlayer(config: Config, deps: { clock: Clock; log: Logger; env: NodeJS.ProcessEnv }): MpvPlayer {
  return new MpvPlayer(
    { clock: deps.clock, log: deps.log.child({ module: 'player' }) },
    {
      mpvPath: config.player.mpvPath,
      audioOutput: resolveAudioOutput(config.player.audioOutput, deps.env),
      extraArgs: [...audioOutputArgs(config.player.audioOutput, config.player.snapcastPipe), ...config.player.mpvArgs],
      pcmPipe: snapcastPipe(config.player.audioOutput, config.player.snapcastPipe, config.player.mpvArgs),
      volume: Math.min(config.player.volume, config.player.maxVolume),
      maxVolume: config.player.maxVolume,
      crossfadeMs: config.player.crossfadeMs,
      allowPrivateStations: config.music.allowPrivateStations,
    },
  );
}

/** The broker connection, or undefined when `mqtt.enabled` is off (mqtt.js is not loaded then). */
export function mqttConnection(config: Config, deps: { log: Logger; env: NodeJS.ProcessEnv; clock: Clock }): MqttParts | undefined {
  const { mqtt } = config;
  if (!mqtt.enabled) return undefined;
  const box = mqtt.box === '' ? topicId(hostname()) : mqtt.box;
  const read = (key: 'passwordFile' | 'caFile' | 'certFile' | 'keyFile'): string | undefined => {
    if (mqtt[key] === '') return undefined;
    const path = installPath(mqtt[key]);
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      throw new ConfigError('MB_ERR_CONFIG_INVALID', [`mqtt.${key}: cannot read ${path}: ${why}`], { cause: err });
    }
  };
  const password = deps.env['MOODBOX_MQTT_PASSWORD'] ?? read('passwordFile')?.trim();
  const tls = { ca: read('caFile'), cert: read('certFile'), key: read('keyFile'), rejectUnauthorized: true };
  const connection = new MqttJsConnection(
    { log: deps.log.child({ module: 'mqtt' }), clock: deps.clock },
    {
      url: mqtt.url,
      clientId: `moodbox-${mqtt.site}-${box}`,
      username: deps.env['MOODBOX_MQTT_USERNAME'] ?? mqtt.username,
      password,
      tls,
      availability: { topic: boxTopics(mqtt.site, box).availability, online: 'online', offline: 'offline' },
      minReconnectMs: 1000,
      maxReconnectMs: 60_000,
      keepaliveS: 30,
      protocolVersion: mqtt.protocolVersion,
    },
  );
  return { connection, box };
}

/** The USB RFID reader, or undefined when the configuration turns it off (node-hid is not loaded then). */
export async function rfidReader(config: Config, deps: { clock: Clock; log: Logger }): Promise<HidRfidReader | undefined> {
  if (!config.rfid.enabled) return undefined;
  return new HidRfidReader(
    { backend: await nodeHidBackend(), clock: deps.clock, log: deps.log.child({ module: 'rfid' }) },
    { devices: config.rfid.devices },
  );
}
