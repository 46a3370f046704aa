using Hike.Db;
using Hike.Edn;
using Hike.FullText;

namespace Hike.Transactions;

internal sealed partial class TxProcessor
{
    /// <summary>
    /// Re-derives what entity <paramref name="e"/> defines (an attribute, an ident, nothing) from its
    /// current schema datoms, so later operations in the same transaction see the change. Whether the
    /// change is allowed is checked once, at the end (<see cref="ValidateSchemaChanges"/>).
    /// </summary>
    private void RefreshSchemaEntity(long e)
    {
        (_schemaTouched ??= []).Add(e);
        var def = SchemaEntity.Read(_ix.EntityDatoms(e));
        var schema = CurrentSchema;
        schema.TryGetByEid(e, out var old);
        if (def.Ident is null)
        {
            if (old is not null) Undefine(old);
            _schema.RemoveIdent(e);
            return;
        }
        _schema.SetIdent(e, def.Ident);
        if (!def.IsAttribute)
        {
            if (old is not null) Undefine(old);
            return;
        }
        int id = old is not null && old.Ident == def.Ident ? old.Id : _schema.IdFor(def.Ident);
        var attribute = def.ToAttribute(id, e);
        bool wasInAvet = old?.InAvet ?? (schema.TryGet(def.Ident, out var implicitAttr) && implicitAttr.InAvet);
        _schema.Define(attribute);
        if (wasInAvet != attribute.InAvet) Reindex(attribute.Id, attribute.InAvet);
    }

    private void Undefine(DbAttribute old)
    {
        if (old.InAvet) Reindex(old.Id, false);
        _schema.Undefine(old.Eid);
    }

    /// <summary>Adds an attribute's datoms to AVET (current and temporal) or takes them out.</summary>
    private void Reindex(int attrId, bool intoAvet)
    {
        foreach (var d in _ix.AttributeDatoms(attrId))
        {
            if (intoAvet) _ix.Avet.Add(d);
            else _ix.Avet.Remove(d);
        }
        foreach (var d in _ix.TemporalAttributeDatoms(attrId))
        {
            if (intoAvet) _ix.TemporalAvet.Add(d);
            else _ix.TemporalAvet.Remove(d);
        }
    }

    /// <summary>Checks every schema change of the transaction against Datahike's rules.</summary>
    private void ValidateSchemaChanges()
    {
        if (_schemaTouched is null) return;
        var before = _before.Schema;
        var now = CurrentSchema;
        foreach (long e in _schemaTouched)
        {
            var def = SchemaEntity.Read(_ix.EntityDatoms(e));
            before.TryGetByEid(e, out var was);
            now.TryGetByEid(e, out var attribute);
            if (attribute is not null)
            {
                ValidateDefinition(def, attribute, now);
                if (was is not null) ValidateUpdate(was, attribute);
            }
            else if (was is not null && _ix.AttributeDatoms(was.Id).Count > 0)
            {
                throw Errors.TxSchema($"Cannot remove the definition of attribute {was.Ident}: it still has values");
            }
        }
    }

    private void ValidateDefinition(SchemaEntity def, DbAttribute attribute, Schema schema)
    {
        if (def.InvalidValueType is { } badType)
        {
            throw Errors.TxSchema($"Bad :db/valueType {Errors.Show(badType)} for {attribute.Ident}");
        }
        if (Options.SchemaFlexibility == SchemaFlexibility.Write && (!def.HasValueType || !def.HasCardinality))
        {
            throw Errors.TxSchema($"Incomplete schema transaction attributes for {attribute.Ident}, expected :db/ident, :db/valueType, :db/cardinality");
        }
        if (def.InvalidCardinality is { } badCard) throw Errors.TxSchema($"Bad :db/cardinality {Errors.Show(badCard)} for {attribute.Ident}");
        if (def.InvalidUnique is { } badUnique) throw Errors.TxSchema($"Bad :db/unique {Errors.Show(badUnique)} for {attribute.Ident}");
        if (attribute.FullText && attribute.Type != DbType.String)
        {
            throw Errors.TxSchema($":db/fulltext needs :db.type/string, and {attribute.Ident} is {DbTypes.ToKeyword(attribute.Type)}");
        }
        if (attribute.Analyzer is { } analyzer)
        {
            if (!attribute.FullText) throw Errors.TxSchema($":db.fulltext/analyzer {analyzer} on {attribute.Ident} needs :db/fulltext true");
            if (!FullTextAnalyzers.IsKnown(analyzer)) throw Errors.FullTextAnalyzer(analyzer, FullTextAnalyzers.Names);
        }
        if (attribute.Type == DbType.Tuple)
        {
            int forms = (attribute.TupleAttrs is null ? 0 : 1) + (attribute.TupleType is null ? 0 : 1) + (attribute.TupleTypes is null ? 0 : 1);
            if (forms != 1)
            {
                throw Errors.TxSchema($"Tuple attribute {attribute.Ident} needs exactly one of :db/tupleAttrs, :db/tupleType or :db/tupleTypes");
            }
            if (attribute.TupleAttrs is { } sources)
            {
                foreach (var source in sources)
                {
                    // A source may be defined later (as Datahike allows); until then it contributes nil.
                    if (!schema.TryGet(source, out var s)) continue;
                    if (s.Type == DbType.Tuple) throw Errors.TxSchema($"Composite tuple {attribute.Ident} cannot contain tuple attribute {source}");
                    if (s.Many) throw Errors.TxSchema($"Composite tuple {attribute.Ident} cannot contain cardinality-many attribute {source}");
                }
            }
        }
        else if (attribute.TupleAttrs is not null || attribute.TupleType is not null || attribute.TupleTypes is not null)
        {
            throw Errors.TxSchema($"DbAttribute {attribute.Ident} has tuple properties but :db/valueType {DbTypes.ToKeyword(attribute.Type)}");
        }
    }

    /// <summary>
    /// Datahike's rules for changing an existing attribute: cardinality may go from one to many (unless
    /// unique), uniqueness may be added to a cardinality-one attribute whose values are distinct, and
    /// the value type and tuple shape are fixed.
    /// </summary>
    private void ValidateUpdate(DbAttribute was, DbAttribute now)
    {
        var invalid = new List<string>();
        if (was.Ident != now.Ident) invalid.Add($":db/ident [{was.Ident} {now.Ident}]");
        if (was.Type != now.Type) invalid.Add($":db/valueType [{DbTypes.ToKeyword(was.Type)} {DbTypes.ToKeyword(now.Type)}]");
        if (was.Many && !now.Many) invalid.Add(":db/cardinality [:db.cardinality/many :db.cardinality/one]");
        if (!was.Many && now.Many && now.Unique != Unique.None) invalid.Add(":db/cardinality [:db.cardinality/one :db.cardinality/many]");
        if (was.Unique == Unique.None && now.Unique != Unique.None && now.Many) invalid.Add($":db/unique [nil {UniqueKeyword(now.Unique)}]");
        if (!SameKeywords(was.TupleAttrs, now.TupleAttrs) || was.TupleType != now.TupleType || !SameTypes(was.TupleTypes, now.TupleTypes))
        {
            invalid.Add(":db/tupleAttrs/:db/tupleType/:db/tupleTypes");
        }
        if (invalid.Count > 0)
        {
            throw Errors.TxSchema($"Update not supported for these schema attributes of {was.Ident}: {string.Join(", ", invalid)}");
        }
        if (was.Unique == Unique.None && now.Unique != Unique.None) CheckDistinctValues(now);
        if (was.Type != now.Type && was.Type == DbType.Any && _ix.AttributeDatoms(now.Id).Count > 0)
        {
            throw Errors.TxSchema($"Cannot declare a type for {now.Ident}: it already has values");
        }
    }

    private void CheckDistinctValues(DbAttribute attribute)
    {
        var seen = new Dictionary<object, long>(ValueEquality.Instance);
        foreach (var d in _ix.AttributeDatoms(attribute.Id))
        {
            if (seen.TryGetValue(d.V, out long other) && other != d.E)
            {
                throw Errors.Unique($"Cannot make {attribute.Ident} unique: value {Errors.Show(d.V)} is held by entities {other} and {d.E}");
            }
            seen[d.V] = d.E;
        }
    }

    private static Keyword UniqueKeyword(Unique u) => u == Unique.Identity ? Idents.UniqueIdentity : Idents.UniqueValue;

    private static bool SameKeywords(Keyword[]? a, Keyword[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static bool SameTypes(DbType[]? a, DbType[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
