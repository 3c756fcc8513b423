import { Type } from 'typebox';
import { PersonName } from './common.js';
import { RoleSchema } from './people.js';
import { SaidSchema } from './guest.js';

/** A refused sign-in; `retryAfterS` (also `Retry-After`) when the next try must wait. */
export const SignInErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: '`MB_ERR_AUTH_FAILED` or `MB_ERR_AUTH_THROTTLED`.' }),
      message: Type.String(),
      said: Type.Optional(SaidSchema),
      retryAfterS: Type.Optional(Type.Integer({ minimum: 1, description: 'Seconds before the next try may be made.' })),
    }),
  },
  { description: 'A refused sign-in.' },
);

export const PinSignInBody = Type.Object(
  { name: PersonName, pin: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);

export const KioskSessionSchema = Type.Object({
  token: Type.String({ description: 'Send as `Authorization: Bearer <token>` on kiosk requests.' }),
  expiresAt: Type.Integer({ description: 'Epoch ms; every request pushes it back by the idle timeout.' }),
  user: Type.Object({ id: Type.Integer(), name: Type.String(), role: RoleSchema }),
});

export const AdminSignInBody = Type.Object(
  { name: PersonName, passphrase: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

export const AdminSessionSchema = Type.Object({
  csrfToken: Type.String({ description: 'Send as `x-csrf-token` on every admin request that changes something.' }),
  expiresAt: Type.Integer(),
  user: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    role: RoleSchema,
    mustChangePin: Type.Boolean(),
    language: Type.Union([Type.String(), Type.Null()], {
      description: "The admin panel's language chosen for this account (a two-letter code), or null: the browser's.",
    }),
  }),
});

export const ScreenLanguageBody = Type.Object(
  {
    language: Type.String({
      pattern: '^(auto|[a-z]{2})$',
      description: "A two-letter code (`de`), or `auto`: the browser's language.",
    }),
  },
  { additionalProperties: false },
);

export const ChangeOwnPassphraseBody = Type.Object(
  {
    currentPassphrase: Type.String({ minLength: 1, maxLength: 256 }),
    newPassphrase: Type.String({ minLength: 1, maxLength: 256, description: 'At least 10 characters, other than the current one.' }),
  },
  { additionalProperties: false },
);

export const FirstRunSchema = Type.Object({
  isNeeded: Type.Boolean({ description: 'The box has no admin yet: the admin page opens on the first-run screen.' }),
  isCodeNeeded: Type.Boolean({ description: 'This device must give the first-run code (it is not the box itself).' }),
});

export const FirstRunWizardSchema = Type.Object(
  {
    step: Type.Union([Type.Enum(['music', 'camera', 'venue', 'done']), Type.Null()], {
      description:
        "The first run's step to show after the first admin (music folder, camera, kind of place, summary); null: none under way (finished, skipped, or never begun).",
    }),
    saved: Type.Array(Type.Enum(['music', 'camera', 'venue']), {
      maxItems: 3,
      description: 'The steps saved so far rather than skipped, in order, for the summary.',
    }),
  },
  { additionalProperties: false },
);

export const FirstAdminBody = Type.Object(
  {
    name: PersonName,
    passphrase: Type.String({ minLength: 1, maxLength: 256, description: 'At least 10 characters.' }),
    code: Type.Optional(
      Type.String({
        maxLength: 32,
        description: 'The first-run code (`ABCD-EFGH`; case, spaces and the dash do not matter). Not needed on the box itself.',
      }),
    ),
  },
  { additionalProperties: false },
);
