import { Option } from 'commander';

/** `--config FILE`, shared by every command that reads the configuration. */
export const configOption = (): Option =>
  new Option('-c, --config <file>', 'configuration file (JSON); default: $MOODBOX_CONFIG, else demo mode');
