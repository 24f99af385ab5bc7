import { v7, validate } from 'uuid'

/** A new time-ordered id (UUIDv7): rows and events sort by creation without a second index. */
export const newId = (): string => v7()

/** True for a syntactically valid UUID (any version). */
export const isUuid = (value: string): boolean => validate(value)
