using Hike.Db;
using Hike.Edn;
using Hike.Index.Codec;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>
/// A schema as a stored object: the next attribute id, every user attribute with all its settings
/// and its interned id (the ids are what the indices hold), and the idents of all entities. An attribute
/// is a vector of its fields; fields added later go at its end, so an older schema reads with their defaults.
/// Built-in attributes are not stored: their ids are fixed.
/// </summary>
internal static class SchemaCodec
{
    public static byte[] Encode(Schema schema)
    {
        var attributes = new List<object?>();
        foreach (var a in schema.Attributes)
        {
            if (a.Id < SystemAttributes.FirstUserId) continue;
            var fields = new List<object?>
            {
                (long)a.Id, a.Ident, a.Eid, (long)a.Type, a.Many, (long)a.Unique, a.Index, a.IsComponent, a.NoHistory, a.Doc,
                a.TupleAttrs is null ? null : EdnVector.From(a.TupleAttrs),
                a.TupleType is { } t ? (long)t : null,
                a.TupleTypes is null ? null : EdnVector.From(a.TupleTypes.Select(x => (object?)(long)x)),
                a.Preds is null ? null : EdnVector.From(a.Preds),
            };
            // Only a full-text attribute has the two fields full-text search added, so other schemas are stored as before it.
            if (a.FullText) fields.AddRange([true, a.Analyzer]);
            attributes.Add(EdnVector.From(fields));
        }
        var idents = new List<object?>();
        foreach (var (eid, ident) in schema.EidToIdent)
        {
            idents.Add(eid);
            idents.Add(ident);
        }
        var encoded = ValueCodec.Encode(EdnVector.Create((long)schema.NextAttrId, EdnVector.From(attributes), EdnVector.From(idents)));
        return Envelope.Seal(Envelope.KindSchema, encoded);
    }

    public static Schema Decode(byte[] bytes, string key)
    {
        var decoded = ValueCodec.Decode(Envelope.Open(bytes, key, Envelope.KindSchema), key);
        try
        {
            var parts = (EdnVector)decoded!;
            var empty = Schema.Empty;
            var byId = new List<DbAttribute?>(empty.ById);
            var byIdent = new Dictionary<Keyword, DbAttribute>(empty.ByIdent);
            var byEid = new Dictionary<long, DbAttribute>();
            foreach (var item in (EdnVector)parts[1]!)
            {
                var v = (EdnVector)item!;
                var a = new DbAttribute
                {
                    Id = (int)(long)v[0]!,
                    Ident = (Keyword)v[1]!,
                    Eid = (long)v[2]!,
                    Type = (DbType)(long)v[3]!,
                    Many = (bool)v[4]!,
                    Unique = (Unique)(long)v[5]!,
                    Index = (bool)v[6]!,
                    IsComponent = (bool)v[7]!,
                    NoHistory = (bool)v[8]!,
                    Doc = (string?)v[9],
                    TupleAttrs = (v[10] as EdnVector)?.Cast<Keyword>().ToArray(),
                    TupleType = v[11] is long t ? (DbType)t : null,
                    TupleTypes = (v[12] as EdnVector)?.Select(x => (DbType)(long)x!).ToArray(),
                    Preds = (v[13] as EdnVector)?.Cast<Symbol>().ToArray(),
                    // Written since full-text search; a schema stored before it has 14 fields.
                    FullText = v.Count > 14 && (bool)v[14]!,
                    Analyzer = v.Count > 15 ? (Keyword?)v[15] : null,
                };
                while (byId.Count <= a.Id) byId.Add(null);
                byId[a.Id] = a;
                byIdent[a.Ident] = a;
                if (a.Eid != 0) byEid[a.Eid] = a;
            }
            var identToEid = new Dictionary<Keyword, long>();
            var eidToIdent = new Dictionary<long, Keyword>();
            var idents = (EdnVector)parts[2]!;
            for (int i = 0; i + 1 < idents.Count; i += 2)
            {
                var eid = (long)idents[i]!;
                var ident = (Keyword)idents[i + 1]!;
                identToEid[ident] = eid;
                eidToIdent[eid] = ident;
            }
            return new Schema([.. byId], byIdent, byEid, identToEid, eidToIdent, (int)(long)parts[0]!);
        }
        catch (Exception e) when (e is InvalidCastException or NullReferenceException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw Errors.Corrupt(key, "its schema entries have the wrong shape");
        }
    }
}
