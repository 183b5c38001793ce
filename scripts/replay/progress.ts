/** A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise (CI logs). */
export function progressBar(total: number, out: NodeJS.WriteStream = process.stderr) {
  const WIDTH = 30;
  let lastTenth = -1;
  return {
    update(done: number, note: string): void {
      const share = total === 0 ? 1 : done / total;
      if (out.isTTY) {
        const filled = Math.round(share * WIDTH);
        out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} ${note}\x1b[K`);
        if (done === total) out.write('\n');
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        out.write(`${done}/${total} (${tenth * 10}%) ${note}\n`);
      }
    },
  };
}
