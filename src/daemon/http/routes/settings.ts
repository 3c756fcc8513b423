import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { LiveConfig } from '../../config/live-config.js';
import { ConfigSchema } from '../../config/schema.js';
import { ErrorRef } from '../schemas/common.js';
import { AnyObject, SaveSettingsBody, SettingsSavedSchema, SettingsSchema } from '../schemas/settings.js';
import { withAccess } from '../access.js';

export interface SettingsRoutesOptions {
  /** The live configuration: what is in force, and saves (audited with the admin as the actor). */
  settings: LiveConfig;
}

/**
 * Settings from the admin panel: the configuration schema (to build the form, with which settings
 * need a restart), the configuration in force, and saving a new set of overrides.
 */
export const settingsRoutes: FastifyPluginAsyncTypebox<SettingsRoutesOptions> = async (app, deps) => {
  // The configuration goes out as the plain JSON object it is; its own schema describes it.
  const configJson = (): Record<string, unknown> => deps.settings.current;

  app.get(
    '/api/admin/config/schema',
    {
      schema: {
        operationId: 'getConfigSchema',
        tags: ['admin'],
        summary: 'The configuration schema: types, defaults, descriptions, and `requiresRestart` per setting',
        response: { 200: AnyObject },
      },
    },
    async () => ({ ...ConfigSchema }),
  );

  app.get(
    '/api/admin/settings',
    {
      schema: {
        operationId: 'getSettings',
        tags: ['admin'],
        summary:
          'The configuration in force, the overrides saved from the admin panel, why they are all set aside (safe mode), and those refused at a start',
        response: { 200: SettingsSchema },
      },
    },
    async () => ({
      config: configJson(),
      overrides: deps.settings.overrides(),
      file: deps.settings.fromFile(),
      notes: deps.settings.notes(),
      safeMode: deps.settings.safeMode ?? null,
      setAside: deps.settings.setAside(),
    }),
  );

  app.delete(
    '/api/admin/settings/set-aside',
    {
      schema: {
        operationId: 'dismissSetAsideSettings',
        tags: ['admin'],
        summary: 'Forget the saved settings set aside at a start, once read (audited)',
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      deps.settings.dismissSetAside(request.adminActor);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/admin/settings',
    {
      schema: {
        operationId: 'saveSettings',
        tags: ['admin'],
        summary: 'Validate and save the overrides; settings without `requiresRestart` apply at once',
        body: SaveSettingsBody,
        response: { 200: SettingsSavedSchema, 400: ErrorRef },
      },
    },
    async (request) => {
      const change = deps.settings.saveAs(request.adminActor, request.body.overrides);
      const { changed, restartRequired } = change;
      return { changed, restartRequired, config: configJson(), notes: deps.settings.notes() };
    },
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  await app.register(withAccess('admin', settingsRoutes), { settings: app.moodbox.settings });
}
