// Structured JSON logs, one line per event, on any runtime.
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void = (l) => console.log(l), minLevel: LogLevel = "info"): Logger {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  return {
    log(level, event, fields) {
      if (order[level] < order[minLevel]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
    },
  };
}

export const silentLogger: Logger = { log() {} };
