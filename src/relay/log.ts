/** Structured logs: one JSON object per line ({time, level, instance, msg, …fields}). */
type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

export function createLogger(instance: string, sink: ((line: string) => void) | null | undefined): Logger {
  const write = sink === undefined ? (line: string) => process.stdout.write(`${line}\n`) : sink;
  if (write === null) return () => undefined;
  return (level, msg, fields = {}) => {
    write(
      JSON.stringify({ time: new Date().toISOString(), level, instance, msg, ...fields }, (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value,
      ),
    );
  };
}
