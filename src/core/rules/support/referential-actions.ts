/** What a foreign key's `ON DELETE` / `ON UPDATE` action does to the rows of the referencing table. */
import type { FkAction } from '../../catalog/model';

/** What a referential action means for the rows of the referencing table when a parent row goes. */
export function onDeleteConsequence(to: FkAction, child: string, parent: string): string {
  switch (to) {
    case 'CASCADE':
      return `deleting a ${parent} row now also deletes its ${child} rows`;
    case 'RESTRICT':
    case 'NO ACTION':
      return `deleting a ${parent} row that still has ${child} rows now fails`;
    case 'SET NULL':
      return `deleting a ${parent} row now leaves its ${child} rows with NULL in the key (orphaned)`;
    case 'SET DEFAULT':
      return `deleting a ${parent} row now points its ${child} rows at the column default`;
  }
}

export function onUpdateConsequence(to: FkAction, child: string, parent: string): string {
  switch (to) {
    case 'CASCADE':
      return `changing a ${parent} key now rewrites the key in its ${child} rows`;
    case 'RESTRICT':
    case 'NO ACTION':
      return `changing a ${parent} key that ${child} rows use now fails`;
    case 'SET NULL':
      return `changing a ${parent} key now sets the key of its ${child} rows to NULL`;
    case 'SET DEFAULT':
      return `changing a ${parent} key now points its ${child} rows at the column default`;
  }
}
