/** A page of a list, as every list endpoint answers it (API.md, Conventions): `nextCursor` is null at the end. */
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}
