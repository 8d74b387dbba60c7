/** What a review tab shows while its data loads, or on error. */
export function ReviewState({ error, loading, what }: { error: unknown; loading: boolean; what: string }) {
  if (loading) return <p className="empty">Loading {what}…</p>;
  if (error)
    return (
      <p className="error" role="alert">
        Could not load {what}: {(error as Error).message}
      </p>
    );
  return null;
}
