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
        people: Type.Union(
          [
            Type.Object({
              signedOut: Type.Integer({ description: 'Sessions signed out: every one the backup carried.' }),
              people: Type.Enum(['today', 'backup'], { description: 'Whose accounts are in force: today’s, or the backup’s as asked.' }),
              disabled: Type.Array(Type.String(), { description: 'People the backup knew and today’s box did not: disabled.' }),
              added: Type.Array(Type.String(), { description: 'People added since the backup: carried over.' }),
            }),
            Type.Null(),
          ],
          { description: 'Who may sign in after the restore; null when it failed.' },
        ),
        setAside: Type.Object(
          {
            tracks: Type.Integer({
              description: 'Restored songs whose file is outside the music folders in force, kept out of the library.',
            }),
            files: Type.Array(Type.String(), { description: 'The first 20 of those files.' }),
            stations: Type.Array(Type.String(), {
              description: 'Restored stations whose address today’s rules refuse, kept out of the library.',
            }),
          },
          { description: 'The restored rows that today’s rules refused: set aside, not deleted.' },
        ),
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
