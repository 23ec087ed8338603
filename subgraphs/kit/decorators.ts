/** Several property decorators applied as one. */
export function allDecorators<K extends string | symbol>(
  ...decorators: ((target: object, key: K) => void)[]
): (target: object, key: K) => void {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}
