-- A file's audio print (src/player/analysis/audio-print.ts, `encodePrint`), made with its analysis:
-- copies of one recording whose tags do not say so (a re-tagged copy, an untagged rip) are grouped
-- by it. NULL where none could be made, and for analyses from before it.
ALTER TABLE track_analyses ADD COLUMN print BLOB;
