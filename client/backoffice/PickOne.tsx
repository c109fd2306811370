/** A choice among named things (a producer, a site), none at first. */
export function PickOne(props: {
  label: string;
  none: string;
  value: number | null;
  choices: readonly { id: number; name: string }[];
  onPick: (id: number | null) => void;
}) {
  return (
    <label>
      {props.label}
      <select
        value={props.value ?? ''}
        onChange={(e) => props.onPick((e.target as HTMLSelectElement).value ? Number((e.target as HTMLSelectElement).value) : null)}
      >
        <option value="">{props.none}</option>
        {props.choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}
