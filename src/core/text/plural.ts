/** A count with its noun: "1 error", "3 errors", "2 indexes" (with `many`). Never "error(s)". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
