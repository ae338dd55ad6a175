import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import type { SearchHit, SearchResult } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { type MessageKey, useT } from '../i18n/index.ts';
import { isolate } from './format.ts';

/**
 * "Address or place": an editable combobox with list autocomplete and manual selection (WAI-ARIA APG).
 * Typing asks /api/search (through the query layer, queries.search) after a short pause; ↓/↑ move through the suggestions (the focus stays in the field,
 * aria-activedescendant names the active one), Enter takes it (or the first suggestion), Escape closes the
 * list and, pressed again, clears the field. Status lines (searching, nothing found, error) are a live region.
 */

export const SEARCH_DEBOUNCE_MS = 200;
export const SUGGESTION_LIMIT = 8;

/**
 * Whether the server can search for the text at all: its search key keeps only a–z and 0–9 (umlauts and
 * accents spelt out), and asks for one of them; we ask for two, a single letter suggests nothing useful.
 */
export function isSearchable(text: string): boolean {
  const letters = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9ß]/g, '');
  return letters.length >= 2;
}

const kindKeys: Record<SearchHit['kind'], MessageKey> = {
  address: 'finder.kind.address',
  street: 'finder.kind.street',
  offer: 'finder.kind.offer',
  area: 'finder.kind.area',
};

export interface PlaceSearchProps {
  /** The name of the chosen place, shown in the field; a new one replaces what was typed. */
  placeLabel: string;
  onChoose(hit: SearchHit): void;
}

export function PlaceSearch({ placeLabel, onChoose }: PlaceSearchProps) {
  const t = useT();
  const id = useId();
  const inputId = `${id}-input`;
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const statusId = `${id}-status`;
  const optionId = (i: number) => `${id}-option-${i}`;

  const [text, setText] = useState(placeLabel);
  // A newly chosen place replaces what was typed. This is set while rendering, not in an effect: a mount effect
  // setting the text runs late on a busy page, and a keystroke that came first (a fast typist, or a browser test
  // tabbing into the field the moment it appears) was overwritten by it and lost.
  const [shownLabel, setShownLabel] = useState(placeLabel);
  if (placeLabel !== shownLabel) {
    setShownLabel(placeLabel);
    setText(placeLabel);
  }
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  /** Enter was pressed before the suggestions for the text arrived: take the first one when they do. */
  const takeFirst = useRef(false);
  const input = useRef<HTMLInputElement>(null);

  // Suggestions for what was typed, after a pause: the text is asked once it has stood still for
  // SEARCH_DEBOUNCE_MS. A request for older text is aborted by the query layer when its key is left (the
  // client passes the query's signal to fetch), and an answer for other text than the field's is not shown.
  const wanted = text.trim();
  const searchable = isSearchable(wanted);
  const typed = useRef(false);
  const asked = typed.current && searchable ? wanted : null;
  const [settled, setSettled] = useState<string | null>(null);
  useEffect(() => {
    if (asked === null) {
      setSettled(null);
      return;
    }
    const timer = window.setTimeout(() => setSettled(asked), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [asked]);
  const search = useQuery(queries.search(settled, SUGGESTION_LIMIT));
  const current:
    | { status: 'loading' }
    | { status: 'ready'; hits: SearchHit[]; missing: SearchResult['missing'] }
    | { status: 'error' }
    | null =
    asked === null || settled !== asked
      ? null
      : search.isSuccess
        ? { status: 'ready', hits: search.data.hits, missing: search.data.missing }
        : search.isError
          ? { status: 'error' }
          : { status: 'loading' };
  const hits = current?.status === 'ready' ? current.hits : [];
  const expanded = open && hits.length > 0;

  const choose = (hit: SearchHit) => {
    typed.current = false;
    takeFirst.current = false;
    setText(hit.label);
    setOpen(false);
    setActive(-1);
    onChoose(hit);
  };

  // Enter pressed while the suggestions were still on their way.
  useEffect(() => {
    if (!takeFirst.current || current?.status !== 'ready') return;
    takeFirst.current = false;
    const first = current.hits[0];
    if (first) choose(first);
    else setOpen(true);
  });

  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  });

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const n = hits.length;
    switch (event.key) {
      case 'ArrowDown':
        if (n === 0) return;
        event.preventDefault();
        if (!expanded) {
          setOpen(true);
          setActive(event.altKey ? -1 : 0);
        } else setActive((i) => (i + 1) % n);
        break;
      case 'ArrowUp':
        if (n === 0) return;
        event.preventDefault();
        if (!expanded) {
          setOpen(true);
          setActive(n - 1);
        } else setActive((i) => (i <= 0 ? n - 1 : i - 1));
        break;
      case 'Enter': {
        event.preventDefault();
        const hit = expanded && active >= 0 ? hits[active] : hits[0];
        if (hit) choose(hit);
        else if (searchable && typed.current && current?.status !== 'ready') takeFirst.current = true;
        break;
      }
      case 'Escape':
        if (expanded) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (text) {
          event.preventDefault();
          typed.current = false;
          setText('');
        }
        break;
      case 'Tab':
        setOpen(false);
        setActive(-1);
        break;
    }
  };

  let status: { key: MessageKey; params?: Record<string, number | string> } | null = null;
  if (typed.current && wanted) {
    if (!searchable) status = null;
    else if (!current || current.status === 'loading') status = { key: 'finder.place.searching' };
    else if (current.status === 'error') status = { key: 'finder.place.searchError' };
    else if (current.hits.length === 0) status = { key: 'finder.place.noMatch' };
    else if (expanded && current.missing)
      // The house number typed is not in the register: the list offers its neighbours, and says so.
      status = {
        key: 'finder.place.missing',
        params: { address: isolate(`${current.missing.street} ${current.missing.number}`) },
      };
    else if (expanded) status = { key: 'finder.place.suggestionCount', params: { count: current.hits.length } };
  }

  return (
    <div className="place-search">
      <label className="place-search__label" htmlFor={inputId}>
        {t('finder.place.label')}
      </label>
      <p className="place-search__hint" id={hintId}>
        {t('finder.place.hint')}
      </p>
      <div className="place-search__box">
        <svg className="place-search__icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <circle cx="10.5" cy="10.5" r="6" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="m15 15 5 5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <input
          ref={input}
          id={inputId}
          className="place-search__input"
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          aria-describedby={`${hintId} ${statusId}`}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          enterKeyHint="search"
          maxLength={100}
          value={text}
          onChange={(event) => {
            typed.current = true;
            takeFirst.current = false;
            setText(event.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            setOpen(false);
            setActive(-1);
          }}
          onClick={() => setOpen(true)}
        />
        {text ? (
          <button
            type="button"
            className="place-search__clear"
            aria-label={t('finder.place.clear')}
            onClick={() => {
              typed.current = false;
              setText('');
              setOpen(false);
              input.current?.focus();
            }}
          >
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <path d="M6 6l12 12M18 6 6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
          </button>
        ) : null}
        <div
          id={listId}
          role="listbox"
          aria-label={t('finder.place.suggestions')}
          className="place-search__list"
          hidden={!expanded}
        >
          {expanded
            ? hits.map((hit, i) => (
                <div
                  key={`${hit.kind}:${hit.id}`}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  // The keyboard stays in the field (aria-activedescendant); focusable only from a script.
                  tabIndex={-1}
                  className="place-search__option"
                  // Keeps the focus in the field, so the list does not close before the click lands.
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => choose(hit)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') choose(hit);
                  }}
                >
                  <span className="place-search__option-label">
                    <bdi>{hit.label}</bdi>
                  </span>
                  <span className="place-search__option-meta">
                    {/* Each part isolated: German place names stay whole inside an Arabic line. */}
                    {[
                      t(
                        hit.match === 'neighbour' && hit.kind === 'address'
                          ? 'finder.kind.neighbour'
                          : kindKeys[hit.kind],
                      ),
                      hit.quarter?.name,
                      hit.district?.name,
                    ]
                      .filter((part, index, all): part is string => !!part && all.indexOf(part) === index)
                      .map(isolate)
                      .join(' · ')}
                  </span>
                </div>
              ))
            : null}
        </div>
      </div>
      <p className="place-search__status" id={statusId} role="status">
        {status ? t(status.key, status.params) : ''}
      </p>
    </div>
  );
}
