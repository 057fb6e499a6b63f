/** Runs one measurement of a bench, printing its name and how long it took to stderr. */
export async function step<T>(name: string, measure: () => T | Promise<T>): Promise<T> {
  const at = Date.now();
  process.stderr.write(`bench: ${name}...`);
  const result = await measure();
  process.stderr.write(` ${((Date.now() - at) / 1000).toFixed(1)} s\n`);
  return result;
}
