// Request logs go to stdout in batches: on Linux a write to a pipe is synchronous, and one write per request
// cost more than rendering the page. Lines wait at most `delayMs`, or until `maxBytes` are pending.
export interface BatchedWriter {
  write(line: string): void;
  flush(): void;
}

export function batchedStdout(
  delayMs = 20,
  maxBytes = 64 * 1024,
  out: (chunk: string) => void = (c) => process.stdout.write(c),
): BatchedWriter {
  let pending: string[] = [];
  let bytes = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending.length === 0) return;
    const chunk = `${pending.join("\n")}\n`;
    pending = [];
    bytes = 0;
    out(chunk);
  };
  return {
    write(line) {
      pending.push(line);
      bytes += line.length;
      if (bytes >= maxBytes) flush();
      else if (!timer) {
        timer = setTimeout(flush, delayMs);
        timer.unref();
      }
    },
    flush,
  };
}
