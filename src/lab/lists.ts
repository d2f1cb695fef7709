// How the lab pages its lists, and the list chaos tests use to prove that the doctor never judges
// a list it could not read to its end:
// - `loop`: from the second page on, the next-page link names that same page again (a service-side
//   paging loop); even a list of one page gets a link to it;
// - `endless`: every page links to a further one, empty past the end (the list never ends).
export const LIST_CHAOS = ['loop', 'endless'] as const;
export type ListChaos = (typeof LIST_CHAOS)[number];

/** The offset the next page starts at, or undefined at the end of the list. */
export function nextSkip(chaos: ListChaos | undefined, skip: number, size: number, total: number): number | undefined {
  if (chaos === 'loop') return skip + size < total ? skip + size : skip === 0 ? Math.max(size, total) : skip;
  if (chaos === 'endless') return skip + size;
  return skip + size < total ? skip + size : undefined;
}
