import { Type } from 'typebox';
import { EMOTIONS } from '../../../vision/room-mood.js';

/** The longest a mood may be held (minutes): a day, so a forgotten hold ends by itself. */
export const MAX_HOLD_MINUTES = 24 * 60;

export const MoodHoldSchema = Type.Object({
  label: Type.Enum([...EMOTIONS], { description: 'The emotion the music follows instead of the camera’s.' }),
  until: Type.Integer({ description: 'Epoch ms when the hold ends and the music follows the camera again.' }),
});

export const StaffPlayerSchema = Type.Object(
  {
    status: Type.Enum(['stopped', 'playing', 'paused']),
    trackId: Type.Union([Type.Integer(), Type.Null()]),
    volume: Type.Integer({ minimum: 0, maximum: 100, description: 'The volume playing now, limits applied.' }),
    wantedVolume: Type.Integer({ minimum: 0, maximum: 100, description: 'The volume staff or people asked for.' }),
    volumeCap: Type.Integer({ minimum: 0, maximum: 100, description: 'The highest volume allowed now: the maximum and the schedule.' }),
    isPausedByStaff: Type.Boolean({ description: 'True from a staff pause until a staff resume; nothing else resumes it.' }),
    silence: Type.Union([Type.Enum(['quiet hours', 'nobody there', 'volume schedule', 'paused by staff']), Type.Null()], {
      description: 'Why no music plays by decision of Moodbox or staff, or null.',
    }),
    hold: Type.Union([MoodHoldSchema, Type.Null()], { description: 'The mood staff hold the music to, or null while the camera leads.' }),
  },
  { description: 'The music as staff control it.' },
);

export const VolumeBody = Type.Object({
  volume: Type.Integer({ minimum: 0, maximum: 100, description: 'Wanted volume; the maximum and the schedule still cap it.' }),
});

export const HoldMoodBody = Type.Object({
  label: Type.Enum([...EMOTIONS], { description: 'The emotion to play for, whatever the camera reads.' }),
  minutes: Type.Integer({ minimum: 1, maximum: MAX_HOLD_MINUTES, description: 'How long to hold it (minutes).' }),
});

export const SkippedSchema = Type.Object({
  trackId: Type.Union([Type.Integer(), Type.Null()], { description: 'The track skipped, or null when nothing played.' }),
});

export const RestartSchema = Type.Object({
  restarting: Type.Literal(true),
});
