// What the functions write: their JSON log lines go straight to stdout and stderr.
import { vi } from 'vitest';

export interface Captured {
  /** Every JSON line written to the stream so far, parsed. */
  lines(stream: 'stdout' | 'stderr'): Record<string, any>[];
  clear(): void;
}

/** Silences stdout and stderr (restore with vi.restoreAllMocks) and keeps the JSON lines written to each. */
export function captureLogs(): Captured {
  const written = { stdout: [] as string[], stderr: [] as string[] };
  for (const name of ['stdout', 'stderr'] as const) {
    vi.spyOn(process[name], 'write').mockImplementation((chunk: unknown) => {
      written[name].push(String(chunk));
      return true;
    });
  }
  return {
    lines: (stream) =>
      written[stream]
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l)),
    clear: () => {
      written.stdout.length = 0;
      written.stderr.length = 0;
    },
  };
}
