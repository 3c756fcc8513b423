import { Type } from 'typebox';

const Bytes = Type.Integer({ minimum: 0, description: 'Bytes.' });

export const DiskUseSchema = Type.Object({
  dataDir: Type.String({ description: 'Where the database, covers, backups and a log file live.' }),
  parts: Type.Array(
    Type.Object({
      name: Type.Union([
        Type.Literal('database'),
        Type.Literal('covers'),
        Type.Literal('backups'),
        Type.Literal('logs'),
        Type.Literal('other'),
      ]),
      bytes: Bytes,
    }),
    { description: 'The data directory by part; `logs` counts only a `log.file` (journald keeps its own under systemd).' },
  ),
  tables: Type.Array(Type.Object({ name: Type.String(), bytes: Bytes }), {
    description: 'The database by table, its indexes included, largest first.',
  }),
  filesystem: Type.Object({ sizeBytes: Bytes, freeBytes: Bytes }),
  growthBytesPerDay: Type.Union([Type.Integer(), Type.Null()], {
    description: "How fast the data directory grows, over the last 30 nights' samples; null before two nights a day apart.",
  }),
  daysLeft: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'Days until the filesystem is full at that rate; null while it does not grow.',
  }),
  samples: Type.Integer({ minimum: 0, description: 'Nights measured for the rate.' }),
});
