import { useCallback, useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * One query parameter of the page's URL as state: what the page shows can be linked to, survives a reload and
 * follows back/forward. Setting the default (or empty) removes the parameter; {@code push} makes a history entry
 * (a new place, such as another node), otherwise the current entry is replaced (a filter being typed).
 */
export function useUrlState(name: string, fallback: string): [string, (value: string, push?: boolean) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get(name) ?? fallback;
  const set = useCallback((next: string, push = false) => {
    if ((next || fallback) === (new URLSearchParams(window.location.search).get(name) ?? fallback)) {
      return; // already so: no navigation (the page may have navigated elsewhere meanwhile)
    }
    setParams((current) => {
      const copy = new URLSearchParams(current);
      if (!next || next === fallback) copy.delete(name);
      else copy.set(name, next);
      return copy;
    }, { replace: !push });
  }, [name, fallback, setParams]);
  return [value, set];
}

/** The browser tab's title: where the user is, then Loki. */
export function useTitle(...parts: (string | undefined | null)[]) {
  const title = [...parts.filter(Boolean), 'Loki'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
