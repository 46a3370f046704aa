// The six datom indices by their sort order; spelled out once here.
global using AevtSet = Hike.Index.DatomIndex<Hike.Index.AevtOrder>;
global using AvetSet = Hike.Index.DatomIndex<Hike.Index.AvetOrder>;
global using EavtSet = Hike.Index.DatomIndex<Hike.Index.EavtOrder>;
