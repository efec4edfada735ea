/** A config file that cannot be used: where (file, line, key) and why, for the operator. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
