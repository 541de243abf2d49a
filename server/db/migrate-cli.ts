import { databaseFile, openDatabase } from './connection';

const file = databaseFile();
const db = openDatabase(file);
db.$client.close();
console.log(`Database ${file} is up to date.`);
