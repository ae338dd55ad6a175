import { useId, useState } from 'react';
import { formatNumber } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { DIVERGING_PALETTES, type PaletteId, previewColors, SEQUENTIAL_PALETTES } from '../layers/palettes.ts';
import { CLASS_METHODS, type ClassMethod, MAX_CLASSES, MIN_CLASSES } from '../state/planner-state.ts';

/** Method, number of classes, colours and, for manual classes, the cut points. */

export interface ClassificationControlsProps {
  method: ClassMethod;
  classes: number;
  palette: PaletteId;
  /** Diverging schemes are offered only where the city value is a meaningful centre. */
  canDiverge: boolean;
  /** The current breaks (upper bounds), to start manual cut points from. */
  breaks: readonly number[];
  manualBreaks: readonly number[] | null;
  digits: number;
  onChange: (patch: { method?: ClassMethod; classes?: number; breaks?: number[] | null; palette?: PaletteId }) => void;
}

const SWATCH_CLASSES = 5;

export function ClassificationControls({
  method,
  classes,
  palette,
  canDiverge,
  breaks,
  manualBreaks,
  digits,
  onChange,
}: ClassificationControlsProps) {
  const { t } = useI18n();
  const id = useId();
  const palettes = canDiverge ? [...SEQUENTIAL_PALETTES, ...DIVERGING_PALETTES] : [...SEQUENTIAL_PALETTES];

  /** Cut points for manual classes: the current inner breaks, or even steps between them. */
  const startingCuts = (k: number): number[] => {
    const inner = breaks.slice(0, -1);
    if (inner.length === k - 1) return inner.map((b) => Number(b.toFixed(digits)));
    const lo = breaks[0] ?? 0;
    const hi = breaks[breaks.length - 1] ?? 1;
    return Array.from({ length: k - 1 }, (_, i) => Number((lo + ((hi - lo) * (i + 1)) / k).toFixed(digits)));
  };

  return (
    <fieldset className="controls">
      <legend className="visually-hidden">{t('planner.classes.legend')}</legend>
      <div className="controls__row">
        <div className="field">
          <label className="field__label" htmlFor={`${id}-method`}>
            {t('planner.classes.method')}
          </label>
          <select
            id={`${id}-method`}
            name="method"
            value={method}
            onChange={(e) => {
              const next = e.target.value as ClassMethod;
              onChange(next === 'manual' ? { method: next, breaks: startingCuts(classes) } : { method: next });
            }}
          >
            {CLASS_METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`planner.classes.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--narrow">
          <label className="field__label" htmlFor={`${id}-k`}>
            {t('planner.classes.count')}
          </label>
          <select
            id={`${id}-k`}
            name="classes"
            value={classes}
            onChange={(e) => {
              const k = Number(e.target.value);
              onChange(method === 'manual' ? { classes: k, breaks: startingCuts(k) } : { classes: k });
            }}
          >
            {Array.from({ length: MAX_CLASSES - MIN_CLASSES + 1 }, (_, i) => MIN_CLASSES + i).map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <span className="field__label" id={`${id}-palette`}>
          {t('planner.classes.palette')}
        </span>
        <div className="palettes" role="radiogroup" aria-labelledby={`${id}-palette`}>
          {palettes.map((p) => (
            <label key={p} className="palette" title={t(`planner.palette.${p}`)}>
              <input
                type="radio"
                name={`${id}-palette`}
                value={p}
                checked={palette === p}
                onChange={() => onChange({ palette: p })}
              />
              <span className="palette__ramp" aria-hidden="true">
                {previewColors(p, SWATCH_CLASSES).map((c) => (
                  <span key={c} style={{ background: c }} />
                ))}
              </span>
              <span className="visually-hidden">{t(`planner.palette.${p}`)}</span>
            </label>
          ))}
        </div>
      </div>
      {method === 'manual' ? (
        <ManualBreaks cuts={manualBreaks ?? startingCuts(classes)} onChange={(b) => onChange({ breaks: b })} />
      ) : null}
    </fieldset>
  );
}

/** Inputs for the cut points; a change counts once all of them are numbers and ascend. */
function ManualBreaks({ cuts, onChange }: { cuts: readonly number[]; onChange: (cuts: number[]) => void }) {
  const { t, lang } = useI18n();
  const [texts, setTexts] = useState(() => cuts.map(String));
  // Reset the inputs only when the cut points change (while rendering, so that nothing typed meanwhile is lost).
  const key = cuts.join(',');
  const [shownKey, setShownKey] = useState(key);
  if (key !== shownKey) {
    setShownKey(key);
    setTexts(cuts.map(String));
  }
  const values = texts.map((s) => Number(s.replace(',', '.')));
  const valid = values.every(Number.isFinite) && values.every((v, i) => i === 0 || v > (values[i - 1] as number));
  return (
    <form
      className="manual"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onChange(values);
      }}
    >
      <p className="field__label">{t('planner.classes.cuts')}</p>
      <div className="manual__inputs">
        {texts.map((text, i) => (
          <input
            // biome-ignore lint/suspicious/noArrayIndexKey: the cut points are positional: input i is the i-th cut
            key={i}
            type="text"
            inputMode="decimal"
            aria-label={t('planner.classes.cut', { n: i + 1 })}
            value={text}
            aria-invalid={!valid || undefined}
            onChange={(e) => setTexts((all) => all.map((s, j) => (j === i ? e.target.value : s)))}
          />
        ))}
      </div>
      {valid ? null : (
        <p className="field__error" role="alert">
          {t('planner.classes.cutsInvalid')}
        </p>
      )}
      <button type="submit" className="button button--small" disabled={!valid}>
        {t('planner.classes.apply')}
      </button>
      <p className="field__hint">{t('planner.classes.cutsHint', { example: formatNumber(1.5, lang, 1) })}</p>
    </form>
  );
}
