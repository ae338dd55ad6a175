import { type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import type { CatalogueIndicator } from '../api/client.ts';
import { useI18n } from '../i18n/index.ts';
import { type MissingTopic, matchIndicator, missingTopicsFor, sparseCoverage } from '../indicator-search.ts';
import { localized } from './text.ts';

/**
 * Choosing an indicator: a combobox (ARIA 1.2 pattern) whose list is grouped by theme and filtered by what is
 * typed (titles in German and English, theme, id; case and accents do not matter). Arrow keys move, Enter
 * chooses, Escape closes.
 */

export interface IndicatorPickerProps {
  label: string;
  indicators: readonly CatalogueIndicator[];
  themes: readonly { id: string; label: { de: string; en: string } }[];
  value: string | null;
  onChange: (id: string) => void;
  /** Marks indicators in the list (e.g. "need" / "supply" in the gap view). */
  name?: string;
  /** Topics the data lack (the catalogue's `missing_topics`): a search naming one says so and offers its proxies. */
  missingTopics?: readonly MissingTopic[];
  /** The level of areas shown: indicators with values for fewer than half of its areas are marked. */
  level?: 'district' | 'quarter' | 'action-area';
}

export function IndicatorPicker({
  label,
  indicators,
  themes,
  value,
  onChange,
  name,
  missingTopics = [],
  level,
}: IndicatorPickerProps) {
  const { t, lang } = useI18n();
  const id = useId();
  const listId = `${id}-list`;
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const current = indicators.find((i) => i.id === value) ?? null;

  const groups = useMemo(() => {
    const matches = indicators.filter((i) => matchIndicator(query, i));
    const order = themes.map((th) => th.id);
    const byTheme = new Map<string, CatalogueIndicator[]>();
    for (const i of matches) {
      const list = byTheme.get(i.theme) ?? [];
      list.push(i);
      byTheme.set(i.theme, list);
    }
    return [...byTheme.entries()]
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .map(([theme, items]) => ({ theme, label: items[0]?.theme_label ?? { de: theme, en: theme }, items }));
  }, [indicators, themes, query]);
  const flat = groups.flatMap((g) => g.items);
  const missing = missingTopicsFor(query, missingTopics);
  const activeIndex = Math.min(active, flat.length - 1);
  const optionId = (i: number) => `${id}-opt-${i}`;

  const choose = (indicator: CatalogueIndicator) => {
    onChange(indicator.id);
    setOpen(false);
    setQuery('');
  };
  const openList = () => {
    setOpen(true);
    setActive(
      Math.max(
        0,
        flat.findIndex((i) => i.id === value),
      ),
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) return openList();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      const next = Math.min(flat.length - 1, Math.max(0, activeIndex + step));
      setActive(next);
      document.getElementById(optionId(next))?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter' && open) {
      event.preventDefault();
      const chosen = flat[activeIndex];
      if (chosen) choose(chosen);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
      setQuery('');
    }
  };

  const coverageNote = (item: CatalogueIndicator) => {
    const sparse = level ? sparseCoverage(item, level) : null;
    return sparse ? (
      <span className="picker__coverage">
        {t('planner.picker.coverage', { with: sparse.with_value, of: sparse.of })}
      </span>
    ) : null;
  };

  let n = -1;
  return (
    <div className="picker" data-name={name}>
      <label className="field__label" htmlFor={`${id}-input`}>
        {label}
      </label>
      <div className="picker__box">
        <input
          ref={input}
          id={`${id}-input`}
          className="picker__input"
          type="text"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && flat.length ? optionId(activeIndex) : undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder={t('planner.picker.search')}
          value={open ? query : current ? localized(current.title, lang) : ''}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={(e) => {
            openList();
            e.target.select();
          }}
          onClick={() => !open && openList()}
          onBlur={(e) => {
            // Leaving for the list (a click on an option) keeps it open until the click is handled.
            if (!e.relatedTarget?.closest(`#${CSS.escape(listId)}`)) {
              setOpen(false);
              setQuery('');
            }
          }}
          onKeyDown={onKeyDown}
        />
        <button
          type="button"
          className="picker__toggle"
          tabIndex={-1}
          aria-label={t('planner.picker.showAll')}
          onClick={() => {
            if (open) setOpen(false);
            else input.current?.focus();
          }}
        >
          ▾
        </button>
      </div>
      {current && !open ? <p className="picker__theme">{localized(current.theme_label, lang)}</p> : null}
      <div id={listId} role="listbox" aria-label={label} className="picker__list" hidden={!open} tabIndex={-1}>
        {flat.length === 0 && missing.length === 0 ? (
          <p className="picker__empty" role="presentation">
            {t('planner.picker.none')}
          </p>
        ) : null}
        {groups.map((g) => (
          <fieldset key={g.theme} aria-labelledby={`${id}-th-${g.theme}`} className="picker__group">
            <div id={`${id}-th-${g.theme}`} role="presentation" className="picker__group-label">
              {localized(g.label, lang)}
            </div>
            {g.items.map((item) => {
              n += 1;
              const index = n;
              return (
                <div
                  key={item.id}
                  id={optionId(index)}
                  role="option"
                  aria-selected={item.id === value}
                  data-id={item.id}
                  data-active={index === activeIndex ? 'true' : undefined}
                  // The keyboard stays in the search field (aria-activedescendant); focusable only from a script.
                  tabIndex={-1}
                  className="picker__option"
                  onMouseDown={(e) => e.preventDefault()}
                  onMouseEnter={() => setActive(index)}
                  onClick={() => choose(item)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') choose(item);
                  }}
                >
                  {localized(item.title, lang)}
                  <span className="picker__method">{t(`planner.method.${item.method}`)}</span>
                  {coverageNote(item)}
                </div>
              );
            })}
          </fieldset>
        ))}
        {missing.map((m) => {
          const proxies = m.proxies.flatMap((p) => indicators.find((i) => i.id === p) ?? []);
          return (
            <div key={m.topic.en} className="picker__missing" role="presentation">
              <p>
                {t('planner.picker.missing', { topic: localized(m.topic, lang), reason: localized(m.reason, lang) })}
              </p>
              {proxies.length ? (
                <>
                  <p>{t('planner.picker.proxy', { proxies: '' }).trim()}</p>
                  <ul>
                    {proxies.map((p) => (
                      <li key={p.id}>
                        <button
                          type="button"
                          className="link-button"
                          onMouseDown={(e) => e.preventDefault()}
                          onClick={() => choose(p)}
                        >
                          {localized(p.title, lang)}
                        </button>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
