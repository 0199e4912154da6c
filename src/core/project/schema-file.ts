/** One file of a Prisma schema (a schema may be a folder of them): its path and its text. */
export interface SchemaFile {
  path: string;
  text: string;
}
