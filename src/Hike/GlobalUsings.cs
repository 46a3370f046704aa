// The six datom indices by their sort order; spelled out once here.
global using AevtSet = Hike.Index.Datoms.DatomIndex<Hike.Index.Datoms.AevtOrder>;
global using AvetSet = Hike.Index.Datoms.DatomIndex<Hike.Index.Datoms.AvetOrder>;
global using EavtSet = Hike.Index.Datoms.DatomIndex<Hike.Index.Datoms.EavtOrder>;
