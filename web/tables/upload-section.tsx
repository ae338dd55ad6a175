import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useId, useState } from 'react';
import { api, type RowPlacement, type UploadFinding, type UploadOutcome } from '../api/client.ts';
import { type TFunction, useT } from '../i18n/index.ts';
import { errorText } from './errors.ts';
import {
  categoriesText,
  emptyMeta,
  type Fix,
  formatMeta,
  parseMeta,
  readField,
  splitAddress,
  type UploadKind,
  withFix,
  writeCategories,
  writeField,
} from './meta.ts';

/**
 * One upload section of the editors' page: the file, the metadata (a form for the common fields over the JSON,
 * which stays editable for the rest), "Check" (the dry run) with its report, and "Store". For an offer list the
 * report shows how each row matched the address register; an unmatched row is corrected by picking a candidate
 * or typing the address, which goes into `meta.fixes`, and checked again.
 */

type Field = { path: string; label: string; kind?: 'select' | 'date' | 'url'; options?: readonly string[] };

function fieldsFor(kind: UploadKind): Field[] {
  if (kind === 'tables')
    return [
      { path: 'indicatorId', label: 'tables.field.indicatorId' },
      { path: 'indicator.title.de', label: 'tables.field.titleDe' },
      { path: 'indicator.title.en', label: 'tables.field.titleEn' },
      { path: 'indicator.unit', label: 'tables.field.unit' },
      { path: 'indicator.direction', label: 'tables.field.direction', kind: 'select', options: DIRECTIONS },
      { path: 'indicator.visibility', label: 'tables.field.visibility', kind: 'select', options: VISIBILITIES },
      { path: 'indicator.source.title', label: 'tables.field.sourceTitle' },
      { path: 'indicator.source.url', label: 'tables.field.sourceUrl', kind: 'url' },
      { path: 'indicator.source.licence', label: 'tables.field.licence' },
      { path: 'indicator.source.attribution', label: 'tables.field.attribution' },
    ];
  return [
    { path: 'id', label: 'tables.field.listId' },
    { path: 'title', label: 'tables.field.title' },
    { path: 'publisher', label: 'tables.field.publisher' },
    { path: 'date', label: 'tables.field.date', kind: 'date' },
    { path: 'licence', label: 'tables.field.licence' },
    { path: 'attribution', label: 'tables.field.attribution' },
    { path: 'visibility', label: 'tables.field.visibility', kind: 'select', options: VISIBILITIES },
  ];
}
const DIRECTIONS = ['need', 'strength', 'neutral'] as const;
const VISIBILITIES = ['internal', 'public'] as const;

export function UploadSection({ kind, token }: { kind: UploadKind; token: string }) {
  const t = useT();
  const id = useId();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [metaText, setMetaText] = useState(() => formatMeta(emptyMeta(kind)));
  const [outcome, setOutcome] = useState<UploadOutcome | null>(null);
  /** The file and metadata the last check was of: "Store" waits for a clean check of what is there now. */
  const [checkedOf, setCheckedOf] = useState<{ file: File; meta: string } | null>(null);
  const [notice, setNotice] = useState('');
  /** A table in wide form: the date of its values and, without a level column, the level of its rows. */
  const [wide, setWide] = useState({ date: '', level: '' });
  const meta = parseMeta(metaText);
  const checkedKey = `${metaText}\n${wide.date}\n${wide.level}`;

  const run = useMutation({
    mutationFn: ({ dryRun }: { dryRun: boolean }) => {
      if (!file) throw new Error('no file');
      return api.upload(kind, token, file, metaText, dryRun, kind === 'tables' ? wide : {});
    },
    onSuccess: (result, { dryRun }) => {
      setOutcome(result);
      setNotice('');
      if (dryRun && result.ok && file) setCheckedOf({ file, meta: checkedKey });
      if (!dryRun && result.status === 201) {
        setCheckedOf(null);
        // What the atlas shows has changed: every answer is asked again (catalogue, values, offers, lists).
        void queryClient.invalidateQueries();
      }
    },
  });
  const canStore = !!file && checkedOf?.file === file && checkedOf.meta === checkedKey && !run.isPending;

  const setMeta = (next: ReturnType<typeof emptyMeta>) => setMetaText(formatMeta(next));
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    setFile(event.target.files?.[0] ?? null);
    setOutcome(null);
  };
  const onMetaFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    if (chosen) setMetaText(await chosen.text());
  };
  const onCheck = (event: FormEvent) => {
    event.preventDefault();
    run.mutate({ dryRun: true });
  };
  const applyFix = (row: number, fix: Fix) => {
    if (!meta) return;
    setMeta(withFix(meta, row, fix));
    setNotice(t('tables.fix.done', { row }));
  };

  const heading = kind === 'tables' ? t('tables.indicators.title') : t('tables.lists.title');
  return (
    <section className="editor-upload" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('tables.upload.title')}</h3>
      <form onSubmit={onCheck} aria-label={heading}>
        <div className="editor-field">
          <label htmlFor={`${id}-file`}>{t('tables.upload.file')}</label>
          <input id={`${id}-file`} name="file" type="file" accept=".csv,.xlsx,text/csv" onChange={onFile} />
        </div>
        {kind === 'tables' ? (
          <fieldset className="editor-meta">
            <legend>{t('tables.wide.title')}</legend>
            <p className="editor-hint">{t('tables.wide.hint')}</p>
            <div className="editor-meta__grid">
              <div className="editor-field">
                <label htmlFor={`${id}-wdate`}>{t('tables.wide.date')}</label>
                <input
                  id={`${id}-wdate`}
                  name="date"
                  inputMode="numeric"
                  placeholder="2024-12-31"
                  value={wide.date}
                  onChange={(e) => setWide({ ...wide, date: e.target.value.trim() })}
                />
              </div>
              <div className="editor-field">
                <label htmlFor={`${id}-wlevel`}>{t('tables.wide.level')}</label>
                <select
                  id={`${id}-wlevel`}
                  name="level"
                  value={wide.level}
                  onChange={(e) => setWide({ ...wide, level: e.target.value })}
                >
                  <option value="">{t('tables.wide.levelFromFile')}</option>
                  <option value="district">{t('planner.level.district')}</option>
                  <option value="quarter">{t('planner.level.quarter')}</option>
                  <option value="action-area">{t('nav.council')}</option>
                </select>
              </div>
            </div>
          </fieldset>
        ) : null}
        <fieldset className="editor-meta">
          <legend>{t('tables.meta.title')}</legend>
          {meta ? (
            <div className="editor-meta__grid">
              {fieldsFor(kind).map((f) => (
                <MetaField key={f.path} id={`${id}-${f.path}`} field={f} meta={meta} onChange={setMeta} t={t} />
              ))}
              {kind === 'offer-lists' ? (
                <div className="editor-field editor-field--wide">
                  <label htmlFor={`${id}-categories`}>{t('tables.field.categories')}</label>
                  <textarea
                    id={`${id}-categories`}
                    rows={3}
                    aria-describedby={`${id}-categories-hint`}
                    value={categoriesText(meta)}
                    onChange={(e) => setMeta(writeCategories(meta, e.target.value))}
                  />
                  <p id={`${id}-categories-hint`} className="editor-hint">
                    {t('tables.field.categoriesHint')}
                  </p>
                </div>
              ) : null}
            </div>
          ) : (
            <p className="editor-error" role="alert">
              {t('tables.meta.invalid')}
            </p>
          )}
          <div className="editor-field editor-field--wide">
            <label htmlFor={`${id}-json`}>{t('tables.meta.json')}</label>
            <textarea
              id={`${id}-json`}
              className="editor-json"
              rows={8}
              spellCheck={false}
              value={metaText}
              onChange={(e) => setMetaText(e.target.value)}
            />
          </div>
          <div className="editor-field">
            <label htmlFor={`${id}-metafile`}>{t('tables.meta.file')}</label>
            <input id={`${id}-metafile`} type="file" accept=".json,application/json" onChange={onMetaFile} />
          </div>
        </fieldset>
        <div className="editor-actions">
          <button type="submit" disabled={!file || run.isPending}>
            {t('tables.upload.check')}
          </button>
          <button type="button" disabled={!canStore} onClick={() => run.mutate({ dryRun: false })}>
            {t('tables.upload.store')}
          </button>
          {!file ? <span className="editor-hint">{t('tables.upload.chooseFile')}</span> : null}
          {file && !canStore && !run.isPending ? (
            <span className="editor-hint">{t('tables.upload.checkFirst')}</span>
          ) : null}
        </div>
      </form>
      <div aria-live="polite">
        {run.isPending ? (
          <p className="loading" role="status">
            {t('tables.upload.running')}
          </p>
        ) : null}
        {notice ? (
          <p className="editor-notice" role="status">
            {notice}
          </p>
        ) : null}
      </div>
      {run.isError ? (
        <p className="editor-error" role="alert">
          {errorText(t, run.error)}
        </p>
      ) : null}
      {outcome && !run.isPending ? <Report outcome={outcome} kind={kind} onFix={applyFix} /> : null}
    </section>
  );
}

function MetaField({
  id,
  field,
  meta,
  onChange,
  t,
}: {
  id: string;
  field: Field;
  meta: NonNullable<ReturnType<typeof parseMeta>>;
  onChange: (next: NonNullable<ReturnType<typeof parseMeta>>) => void;
  t: TFunction;
}) {
  const value = readField(meta, field.path);
  const set = (text: string) => onChange(writeField(meta, field.path, text));
  // biome-ignore lint/suspicious/noExplicitAny: the label keys are typed by the field list above
  const label = t(field.label as any);
  return (
    <div className="editor-field">
      <label htmlFor={id}>{label}</label>
      {field.kind === 'select' ? (
        <select id={id} value={value} onChange={(e) => set(e.target.value)}>
          {field.options?.map((o) => (
            <option key={o} value={o}>
              {/* biome-ignore lint/suspicious/noExplicitAny: keys tables.option.<value> */}
              {t(`tables.option.${o}` as any)}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type={field.kind === 'date' ? 'date' : field.kind === 'url' ? 'url' : 'text'}
          value={value}
          onChange={(e) => set(e.target.value)}
        />
      )}
    </div>
  );
}

function Report({
  outcome,
  kind,
  onFix,
}: {
  outcome: UploadOutcome;
  kind: UploadKind;
  onFix: (row: number, fix: Fix) => void;
}) {
  const t = useT();
  const errors = outcome.findings.filter((f) => f.severity === 'error').length;
  const stored = outcome.status === 201;
  return (
    <section className="editor-report" aria-label={t('tables.report.title')}>
      <h4>{t('tables.report.title')}</h4>
      <p className={outcome.ok ? 'editor-ok' : 'editor-error'} role={outcome.ok ? 'status' : 'alert'}>
        {stored
          ? t('tables.report.stored', { id: outcome.id ?? '', version: outcome.version ?? '' })
          : outcome.ok
            ? t('tables.report.ok')
            : t('tables.report.errors', { count: errors })}
      </p>
      {stored && outcome.indicators?.length ? (
        <p>{t('tables.report.indicators', { ids: outcome.indicators.join(', ') })}</p>
      ) : null}
      <Findings findings={outcome.findings} />
      {kind === 'offer-lists' && outcome.rows ? <Rows rows={outcome.rows} onFix={onFix} stored={stored} /> : null}
    </section>
  );
}

function Findings({ findings }: { findings: UploadFinding[] }) {
  const t = useT();
  if (findings.length === 0) return <p>{t('tables.report.noFindings')}</p>;
  return (
    <div className="editor-scroll">
      <table className="editor-table editor-findings">
        <caption>{t('tables.report.findings')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tables.col.row')}</th>
            <th scope="col">{t('tables.col.column')}</th>
            <th scope="col">{t('tables.col.reason')}</th>
            <th scope="col">{t('tables.col.severity')}</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: findings have no identity beyond their order
            <tr key={i} className={`editor-finding--${f.severity}`}>
              <td>{f.row ?? '–'}</td>
              <td>{f.column ?? '–'}</td>
              <td>{f.reason}</td>
              <td>{f.severity === 'error' ? t('tables.severity.error') : t('tables.severity.warning')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const FIXABLE = new Set(['unmatched', 'outside']);

function Rows({
  rows,
  onFix,
  stored,
}: {
  rows: RowPlacement[];
  onFix: (row: number, fix: Fix) => void;
  stored: boolean;
}) {
  const t = useT();
  return (
    <div className="editor-scroll">
      <table className="editor-table editor-rows">
        <caption>{t('tables.rows.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tables.col.row')}</th>
            <th scope="col">{t('tables.col.name')}</th>
            <th scope="col">{t('tables.col.match')}</th>
            <th scope="col">{t('tables.col.address')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.row} data-row={r.row} data-match={r.match}>
              <td>{r.row}</td>
              <td>{r.name}</td>
              <td>
                {/* biome-ignore lint/suspicious/noExplicitAny: keys tables.match.<kind> */}
                {t(`tables.match.${r.match}` as any)}
                {r.note ? <span className="editor-hint"> ({r.note})</span> : null}
              </td>
              <td>
                {r.address ?? '–'}
                {!stored && FIXABLE.has(r.match) ? <RowFix row={r} onFix={onFix} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RowFix({ row, onFix }: { row: RowPlacement; onFix: (row: number, fix: Fix) => void }) {
  const t = useT();
  const id = useId();
  const [address, setAddress] = useState('');
  return (
    <div className="editor-fix">
      {row.candidates.length > 0 ? (
        <fieldset>
          <legend>{t('tables.fix.candidates', { row: row.row })}</legend>
          <ul>
            {row.candidates.map((c) => (
              <li key={c.label}>
                <button type="button" onClick={() => onFix(row.row, splitAddress(c.label))}>
                  {t('tables.fix.use', { address: c.label })}
                </button>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
      <form
        className="editor-fix__own"
        onSubmit={(e) => {
          e.preventDefault();
          if (address.trim()) onFix(row.row, splitAddress(address));
        }}
      >
        <label htmlFor={`${id}-a`}>{t('tables.fix.address', { row: row.row })}</label>
        <input id={`${id}-a`} value={address} onChange={(e) => setAddress(e.target.value)} />
        <button type="submit">{t('tables.fix.apply')}</button>
      </form>
    </div>
  );
}
