// The six datom indices by their sort order; spelled out once here.
global using AevtSet = Hike.Index.PersistentSortedSet<Hike.Index.Datom, Hike.Index.AevtOrder>;
global using AvetSet = Hike.Index.PersistentSortedSet<Hike.Index.Datom, Hike.Index.AvetOrder>;
global using EavtSet = Hike.Index.PersistentSortedSet<Hike.Index.Datom, Hike.Index.EavtOrder>;
