import { Type } from 'typebox';

export const BackupSchema = Type.Object({
  name: Type.String({ description: 'The file’s name: what the panel downloads and restores by.' }),
  kind: Type.Enum(['nightly', 'manual', 'uploaded', 'before-migration', 'before-restore'], {
    description:
      'The nightly copy, one asked for (the panel’s “Back up now”, `moodbox backup`), a file uploaded in the panel, the copy taken before a migration, or the database a restore replaced.',
  }),
  bytes: Type.Integer({ description: 'Its size (bytes).' }),
  at: Type.Integer({ description: 'When it was written (epoch ms).' }),
});

export const BackupsSchema = Type.Object({
  items: Type.Array(BackupSchema, { description: 'Newest first.' }),
  nightlyHour: Type.Integer({ description: 'The local hour of the nightly copy.' }),
  lastRestore: Type.Union(
    [
      Type.Object({
        from: Type.String({ description: 'The backup put back.' }),
        at: Type.Integer({ description: 'When it was asked for (epoch ms).' }),
        kept: Type.Union([Type.String(), Type.Null()], {
          description: 'The replaced database, kept as this backup; null when there was none.',
        }),
        failed: Type.Union([Type.String(), Type.Null()], {
          description: 'Why it was not put back (the box runs on the database it had), or null.',
        }),
      }),
      Type.Null(),
    ],
    { description: 'The restore this start of Moodbox put in place, or null.' },
  ),
});

export const BackupNameParams = Type.Object({ name: Type.String({ maxLength: 200 }) });

export const RestoreStartedSchema = Type.Object({
  restarting: Type.Literal(true),
  from: Type.String({ description: 'The backup that goes in at the start that follows.' }),
});
