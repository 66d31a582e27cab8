/**
 * The late-answer guard of every loading hook. Call it in the `useEffect` that sends a request and
 * return what it returns: the effect's cleanup (new parameters, a reload, the component going away)
 * marks the request superseded, and a superseded request's answer or failure is dropped, so a slow
 * answer can never overwrite a newer one.
 *
 *   useEffect(() => latestOnly(fetchThing(params), onReady, onError), [fetchThing, params]);
 */
export function latestOnly<T>(
  request: Promise<T>,
  onAnswer: (value: T) => void,
  onFailure: (error: unknown) => void,
): () => void {
  let current = true;
  request.then(
    (value) => {
      if (current) onAnswer(value);
    },
    (error: unknown) => {
      if (current) onFailure(error);
    },
  );
  return () => {
    current = false;
  };
}
