/** A row of tabs (buttons with aria-selected); the caller renders the selected panel. */
export function Tabs<T extends string>(props: {
  tabs: readonly { id: T; label: string; badge?: number | string | null }[];
  value: T;
  onChange: (id: T) => void;
  label: string;
}) {
  return (
    <div className="tabs" role="tablist" aria-label={props.label}>
      {props.tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          aria-selected={t.id === props.value}
          className={t.id === props.value ? 'tab tab-on' : 'tab'}
          onClick={() => props.onChange(t.id)}
        >
          {t.label}
          {t.badge !== undefined && t.badge !== null && t.badge !== 0 ? (
            <span className="tab-badge">{t.badge}</span>
          ) : null}
        </button>
      ))}
    </div>
  );
}
