import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { LiveConfig } from '../../config/live-config.js';
import { ConfigSchema } from '../../config/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Store } from '../../store/store.js';

const ErrorRef = Type.Ref('ErrorBody');
const admin = { access: 'admin' } as const;
const AnyObject = Type.Record(Type.String(), Type.Unknown());

/**
 * Settings from the admin panel: the configuration schema (to build the form, with which settings
 * need a restart), the configuration in force, and saving a new set of overrides.
 */
export function registerSettingsRoutes(app: FastifyInstance, deps: { settings: LiveConfig; store: Store; clock: Clock }): void {
  app.get(
    '/api/admin/config/schema',
    {
      config: admin,
      schema: {
        operationId: 'getConfigSchema',
        tags: ['admin'],
        summary: 'The configuration schema: types, defaults, descriptions, and `requiresRestart` per setting',
        response: { 200: AnyObject },
      },
    },
    async () => ConfigSchema,
  );

  app.get(
    '/api/admin/settings',
    {
      config: admin,
      schema: {
        operationId: 'getSettings',
        tags: ['admin'],
        summary: 'The configuration in force, the overrides saved from the admin panel, and why they are set aside (safe mode)',
        response: { 200: Type.Object({ config: AnyObject, overrides: AnyObject, safeMode: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async () => ({
      config: deps.settings.current as unknown as Record<string, unknown>,
      overrides: deps.settings.overrides(),
      safeMode: deps.settings.safeMode ?? null,
    }),
  );

  app.put(
    '/api/admin/settings',
    {
      config: admin,
      schema: {
        operationId: 'saveSettings',
        tags: ['admin'],
        summary: 'Validate and save the overrides; settings without `requiresRestart` apply at once',
        body: Type.Object({ overrides: AnyObject }, { additionalProperties: false }),
        response: {
          200: Type.Object({ changed: Type.Array(Type.String()), restartRequired: Type.Array(Type.String()), config: AnyObject }),
          400: ErrorRef,
        },
      },
    },
    async (request) => {
      const { overrides } = request.body as { overrides: Record<string, unknown> };
      const change = deps.settings.save(overrides, deps.clock.now());
      deps.store.audit.append({
        at: deps.clock.now(),
        actor: `admin:${request.principal?.user.id ?? '?'}`,
        action: 'settings.save',
        target: '',
        detail: { changed: change.changed, restartRequired: change.restartRequired },
      });
      return {
        changed: change.changed,
        restartRequired: change.restartRequired,
        config: deps.settings.current as unknown as Record<string, unknown>,
      };
    },
  );
}
