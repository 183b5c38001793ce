/** A value made on first use: an instance that never meets, say, an SQS event never pays for its schema. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}
