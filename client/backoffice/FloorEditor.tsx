import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n/index.ts';
import { catalogApi, type CategoryView } from '../../shared/api/catalog.ts';
import { printingApi, type PrinterView } from '../../shared/api/printing.ts';
import { restaurantApi, type RoomView } from '../../shared/api/restaurant.ts';
import { call, errorText } from '../api.ts';
import type { T } from '../i18n.ts';

type Table = RoomView['tables'][number];
type Station = Awaited<ReturnType<typeof call<typeof restaurantApi.stations>>>[number];
type Shape = Table['shape'];

/** The plan's units: 200 across; a table moves by 2 with an arrow key, 10 with Shift. */
const PLAN_WIDTH = 200;
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/**
 * The restaurant's floor in the back office: rooms, their tables placed by dragging (or with the arrow keys),
 * each table's name, seats and shape; the preparation stations and their printers, and which category goes
 * to which station.
 */
export function FloorEditor({ t }: { t: T; lang: Lang }) {
  const [rooms, setRooms] = useState<RoomView[]>([]);
  const [roomId, setRoomId] = useState<number | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [stations, setStations] = useState<Station[]>([]);
  const [printers, setPrinters] = useState<PrinterView[]>([]);
  const [categories, setCategories] = useState<CategoryView[]>([]);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState('');
  const load = async () => {
    try {
      const [r, s, p, c] = await Promise.all([
        call(restaurantApi.floor),
        call(restaurantApi.stations),
        call(printingApi.list),
        call(catalogApi.listCategories),
      ]);
      setRooms(r);
      setStations(s);
      setPrinters(p);
      setCategories(c.filter((x) => x.active));
      setRoomId((id) => id ?? r[0]?.id ?? null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => void load(), []);
  const room = rooms.find((r) => r.id === roomId);
  const table = room?.tables.find((x) => x.id === selected);

  /** Saves a table's change; the plan shows it at once and goes back if the server refuses. */
  const patch = async (
    id: number,
    change: Partial<Pick<Table, 'name' | 'seats' | 'shape' | 'x' | 'y' | 'width' | 'height' | 'active'>>,
  ) => {
    setError('');
    setRooms((rs) => rs.map((r) => ({ ...r, tables: r.tables.map((x) => (x.id === id ? { ...x, ...change } : x)) })));
    try {
      await call(restaurantApi.updateTable, { params: { id }, body: change });
      setSaved(t('bo.floor.saved'));
    } catch (e) {
      setError(errorText(e));
      void load();
    }
  };

  const addRoom = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = (form.elements.namedItem('room') as HTMLInputElement).value.trim();
    if (!name) return;
    try {
      const r = await call(restaurantApi.createRoom, { body: { outlet: 'restaurant', name } });
      form.reset();
      await load();
      setRoomId(r.id);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const addTable = async (e: Event) => {
    e.preventDefault();
    if (!room) return;
    const form = e.target as HTMLFormElement;
    const value = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value;
    // The first free spot along the top, then the next row.
    const taken = room.tables.filter((x) => x.active);
    let x = 4;
    let y = 4;
    while (taken.some((o) => x < o.x + o.width && o.x < x + 14 && y < o.y + o.height && o.y < y + 14)) {
      x += 18;
      if (x > PLAN_WIDTH - 14) {
        x = 4;
        y += 18;
      }
    }
    try {
      const created = await call(restaurantApi.createTable, {
        params: { id: room.id },
        body: { name: value('name').trim(), seats: Number(value('seats')), shape: value('shape') as Shape, x, y, width: 14, height: 14 },
      });
      form.reset();
      await load();
      setSelected(created.id);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <section class="panel floor-editor" data-testid="floor-editor">
      <h3>{t('bo.floor.title')}</h3>
      <p class="muted">{t('bo.floor.help')}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="toolbar">
        <div class="segmented" role="group" aria-label={t('bo.floor.rooms')}>
          {rooms.map((r) => (
            <button
              key={r.id}
              type="button"
              class={r.id === roomId ? 'active' : ''}
              aria-pressed={r.id === roomId}
              onClick={() => setRoomId(r.id)}
            >
              {r.name}
            </button>
          ))}
        </div>
        <form class="inline-form" onSubmit={addRoom}>
          <label>
            {t('bo.floor.newRoom')}
            <input name="room" maxLength={40} />
          </label>
          <button type="submit">{t('bo.floor.addRoom')}</button>
        </form>
      </div>
      {room && (
        <Plan
          t={t}
          room={room}
          selected={selected}
          onSelect={setSelected}
          onMove={(id, x, y) =>
            setRooms((rs) => rs.map((r) => ({ ...r, tables: r.tables.map((tb) => (tb.id === id ? { ...tb, x, y } : tb)) })))
          }
          onDrop={(id, x, y) => void patch(id, { x, y })}
        />
      )}
      <p class="muted" role="status">
        {saved}
      </p>
      {table && <TableForm key={table.id} t={t} table={table} onSave={(change) => void patch(table.id, change)} />}
      {room && (
        <form class="grid-form" onSubmit={addTable}>
          <h4 class="wide">{t('bo.floor.newTable')}</h4>
          <label>
            {t('bo.floor.name')}
            <input name="name" required maxLength={20} />
          </label>
          <label>
            {t('bo.floor.seats')}
            <input name="seats" type="number" min={1} max={40} value="4" required />
          </label>
          <label>
            {t('bo.floor.shape')}
            <ShapeSelect t={t} name="shape" value="square" />
          </label>
          <button type="submit">{t('bo.floor.addTable')}</button>
        </form>
      )}
      <Stations t={t} stations={stations} printers={printers} categories={categories} onChange={load} onError={setError} />
    </section>
  );
}

function ShapeSelect({ t, name, value, onChange }: { t: T; name?: string; value: Shape; onChange?: (s: Shape) => void }) {
  return (
    <select name={name} value={value} onChange={(e) => onChange?.((e.target as HTMLSelectElement).value as Shape)}>
      <option value="square">{t('bo.floor.shape.square')}</option>
      <option value="round">{t('bo.floor.shape.round')}</option>
      <option value="rect">{t('bo.floor.shape.rect')}</option>
    </select>
  );
}

function Plan({
  t,
  room,
  selected,
  onSelect,
  onMove,
  onDrop,
}: {
  t: T;
  room: RoomView;
  selected: number | null;
  onSelect: (id: number) => void;
  onMove: (id: number, x: number, y: number) => void;
  onDrop: (id: number, x: number, y: number) => void;
}) {
  const plan = useRef<HTMLDivElement>(null);
  const drag = useRef<{ id: number; startX: number; startY: number; x: number; y: number; w: number; h: number; moved: boolean } | null>(
    null,
  );
  const tables = room.tables.filter((x) => x.active);
  const height = Math.max(100, ...tables.map((x) => x.y + x.height + 10));
  const unit = () => (plan.current ? plan.current.clientWidth / PLAN_WIDTH : 1);
  const place = (tb: Table, dx: number, dy: number) => ({
    x: clamp(Math.round(tb.x + dx), 0, PLAN_WIDTH - tb.width),
    y: clamp(Math.round(tb.y + dy), 0, 200 - tb.height),
  });
  return (
    <div
      class="plan-editor"
      ref={plan}
      style={{ aspectRatio: `${PLAN_WIDTH} / ${height}` }}
      aria-label={t('bo.floor.plan', { name: room.name })}
      role="group"
    >
      {tables.map((tb) => (
        <button
          key={tb.id}
          type="button"
          class={`plan-table ${tb.shape}${tb.id === selected ? ' selected' : ''}`}
          data-testid={`edit-table-${tb.name}`}
          style={{
            left: `${(tb.x / PLAN_WIDTH) * 100}%`,
            top: `${(tb.y / height) * 100}%`,
            width: `${(tb.width / PLAN_WIDTH) * 100}%`,
            height: `${(tb.height / height) * 100}%`,
          }}
          aria-pressed={tb.id === selected}
          aria-describedby="plan-keys"
          onClick={() => onSelect(tb.id)}
          onPointerDown={(e) => {
            (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
            drag.current = { id: tb.id, startX: e.clientX, startY: e.clientY, x: tb.x, y: tb.y, w: tb.width, h: tb.height, moved: false };
            onSelect(tb.id);
          }}
          onPointerMove={(e) => {
            const d = drag.current;
            if (!d || d.id !== tb.id) return;
            const u = unit();
            const next = place({ ...tb, x: d.x, y: d.y }, (e.clientX - d.startX) / u, (e.clientY - d.startY) / u);
            d.moved = true;
            onMove(tb.id, next.x, next.y);
          }}
          onPointerUp={() => {
            const d = drag.current;
            drag.current = null;
            if (d?.moved) onDrop(tb.id, tb.x, tb.y);
          }}
          onKeyDown={(e) => {
            const step = e.shiftKey ? 10 : 2;
            const delta =
              e.key === 'ArrowLeft'
                ? [-step, 0]
                : e.key === 'ArrowRight'
                  ? [step, 0]
                  : e.key === 'ArrowUp'
                    ? [0, -step]
                    : e.key === 'ArrowDown'
                      ? [0, step]
                      : null;
            if (!delta) return;
            e.preventDefault();
            const next = place(tb, delta[0]!, delta[1]!);
            onMove(tb.id, next.x, next.y);
            onDrop(tb.id, next.x, next.y);
          }}
        >
          <strong>{tb.name}</strong>
          <small>{t('bo.floor.seatsShort', { n: tb.seats })}</small>
        </button>
      ))}
      <p id="plan-keys" class="vh">
        {t('bo.floor.keys')}
      </p>
    </div>
  );
}

function TableForm({ t, table, onSave }: { t: T; table: Table; onSave: (change: Partial<Table>) => void }) {
  const [name, setName] = useState(table.name);
  const [seats, setSeats] = useState(table.seats);
  const [shape, setShape] = useState<Shape>(table.shape);
  const [width, setWidth] = useState(table.width);
  const [height, setHeight] = useState(table.height);
  return (
    <form
      class="grid-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ name: name.trim(), seats, shape, width, height });
      }}
    >
      <h4 class="wide">{t('bo.floor.table', { name: table.name })}</h4>
      <label>
        {t('bo.floor.name')}
        <input value={name} required maxLength={20} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        {t('bo.floor.seats')}
        <input type="number" min={1} max={40} value={seats} onInput={(e) => setSeats(Number((e.target as HTMLInputElement).value))} />
      </label>
      <label>
        {t('bo.floor.shape')}
        <ShapeSelect t={t} value={shape} onChange={setShape} />
      </label>
      <label>
        {t('bo.floor.width')}
        <input type="number" min={2} max={60} value={width} onInput={(e) => setWidth(Number((e.target as HTMLInputElement).value))} />
      </label>
      <label>
        {t('bo.floor.height')}
        <input type="number" min={2} max={60} value={height} onInput={(e) => setHeight(Number((e.target as HTMLInputElement).value))} />
      </label>
      <div class="actions wide">
        <button type="submit">{t('bo.floor.save')}</button>
        <button type="button" class="secondary" onClick={() => onSave({ active: false })}>
          {t('bo.floor.retire')}
        </button>
      </div>
    </form>
  );
}

function Stations({
  t,
  stations,
  printers,
  categories,
  onChange,
  onError,
}: {
  t: T;
  stations: Station[];
  printers: PrinterView[];
  categories: CategoryView[];
  onChange: () => Promise<void>;
  onError: (e: string) => void;
}) {
  const printerName = (id: number | null) => printers.find((p) => p.id === id)?.name ?? t('bo.floor.noPrinter');
  const act = async (f: () => Promise<unknown>) => {
    try {
      await f();
      await onChange();
    } catch (e) {
      onError(errorText(e));
    }
  };
  return (
    <div class="stations">
      <h4>{t('bo.floor.stations')}</h4>
      <table class="figures">
        <thead>
          <tr>
            <th>{t('bo.floor.station')}</th>
            <th>{t('bo.floor.printer')}</th>
            <th>{t('bo.floor.screen')}</th>
          </tr>
        </thead>
        <tbody>
          {stations.map((s) => (
            <tr key={s.id}>
              <td>{s.name}</td>
              <td>
                <label>
                  <span class="vh">{t('bo.floor.printerOf', { name: s.name })}</span>
                  <select
                    value={s.printerId ?? ''}
                    onChange={(e) => {
                      const id = Number((e.target as HTMLSelectElement).value);
                      if (id)
                        void act(() =>
                          call(restaurantApi.stationPrinter, { params: { id: s.id }, body: { printerId: id, moveWaiting: true } }),
                        );
                    }}
                  >
                    {s.printerId === null && <option value="">{printerName(null)}</option>}
                    {printers
                      .filter((p) => p.active)
                      .map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
                        </option>
                      ))}
                  </select>
                </label>
              </td>
              <td>
                <a href={`/cuisine/?station=${s.id}`}>{t('bo.floor.openScreen')}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.target as HTMLFormElement;
          const name = (form.elements.namedItem('station') as HTMLInputElement).value.trim();
          const printer = Number((form.elements.namedItem('printer') as HTMLSelectElement).value) || null;
          if (name)
            void act(() => call(restaurantApi.createStation, { body: { outlet: 'restaurant', name, printerId: printer } })).then(() =>
              form.reset(),
            );
        }}
      >
        <label>
          {t('bo.floor.newStation')}
          <input name="station" maxLength={40} />
        </label>
        <label>
          {t('bo.floor.printer')}
          <select name="printer">
            <option value="">{t('bo.floor.noPrinter')}</option>
            {printers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('bo.floor.addStation')}</button>
      </form>
      <h4>{t('bo.floor.routing')}</h4>
      <table class="figures">
        <thead>
          <tr>
            <th>{t('bo.floor.category')}</th>
            <th>{t('bo.floor.station')}</th>
          </tr>
        </thead>
        <tbody>
          {categories.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>
                <label>
                  <span class="vh">{t('bo.floor.stationOf', { name: c.name })}</span>
                  <select
                    value={c.stationId ?? ''}
                    onChange={(e) => {
                      const v = (e.target as HTMLSelectElement).value;
                      void act(() =>
                        call(restaurantApi.categoryStation, { params: { id: c.id }, body: { stationId: v ? Number(v) : null } }),
                      );
                    }}
                  >
                    <option value="">{t('bo.floor.noStation')}</option>
                    {stations.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </label>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
