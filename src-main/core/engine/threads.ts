/**
 * The default number of llama.cpp threads. Measured on a 2-core machine with `npm run bench:engine`
 * (768-wide, 12-layer Q4_0 model): 1 thread decodes about 2x faster than 2 (270 vs 125 tokens/s), as the
 * second thread spends its time waiting on the first and on the OS. With more cores, llama.cpp's own
 * choice (the cores useful for math) is right. The setting in the Models view overrides this.
 */
export function defaultThreads(cpuMathCores: number): number {
  return cpuMathCores <= 2 ? 1 : cpuMathCores;
}
