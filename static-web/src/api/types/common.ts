// Hand-written from the API's OpenAPI 3.1 document (/api/openapi/v3.json); names follow its schemas.
// Shapes every list shares.

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
