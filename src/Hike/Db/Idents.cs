using Hike.Edn;

namespace Hike.Db;

/// <summary>The keywords of Datahike's built-in vocabulary, interned once.</summary>
internal static class Idents
{
    public static readonly Keyword DbId = Keyword.Intern("db/id");
    public static readonly Keyword Ident = Keyword.Intern("db/ident");
    public static readonly Keyword ValueType = Keyword.Intern("db/valueType");
    public static readonly Keyword Cardinality = Keyword.Intern("db/cardinality");
    public static readonly Keyword Unique = Keyword.Intern("db/unique");
    public static readonly Keyword Index = Keyword.Intern("db/index");
    public static readonly Keyword IsComponent = Keyword.Intern("db/isComponent");
    public static readonly Keyword NoHistory = Keyword.Intern("db/noHistory");
    public static readonly Keyword Doc = Keyword.Intern("db/doc");
    public static readonly Keyword TxInstant = Keyword.Intern("db/txInstant");
    public static readonly Keyword TupleAttrs = Keyword.Intern("db/tupleAttrs");
    public static readonly Keyword TupleType = Keyword.Intern("db/tupleType");
    public static readonly Keyword TupleTypes = Keyword.Intern("db/tupleTypes");
    public static readonly Keyword AttrPreds = Keyword.Intern("db.attr/preds");
    public static readonly Keyword EntityAttrs = Keyword.Intern("db.entity/attrs");
    public static readonly Keyword EntityPreds = Keyword.Intern("db.entity/preds");
    public static readonly Keyword FullText = Keyword.Intern("db/fulltext");
    public static readonly Keyword FullTextAnalyzer = Keyword.Intern("db.fulltext/analyzer");
    public static readonly Keyword Ensure = Keyword.Intern("db/ensure");

    public static readonly Keyword CardinalityOne = Keyword.Intern("db.cardinality/one");
    public static readonly Keyword CardinalityMany = Keyword.Intern("db.cardinality/many");
    public static readonly Keyword UniqueIdentity = Keyword.Intern("db.unique/identity");
    public static readonly Keyword UniqueValue = Keyword.Intern("db.unique/value");

    public static readonly Keyword DbAdd = Keyword.Intern("db/add");
    public static readonly Keyword DbRetract = Keyword.Intern("db/retract");
    public static readonly Keyword RetractEntity = Keyword.Intern("db/retractEntity");
    public static readonly Keyword FnRetractEntity = Keyword.Intern("db.fn/retractEntity");
    public static readonly Keyword FnRetractAttribute = Keyword.Intern("db.fn/retractAttribute");
    public static readonly Keyword Cas = Keyword.Intern("db/cas");
    public static readonly Keyword FnCas = Keyword.Intern("db.fn/cas");
    public static readonly Keyword FnCall = Keyword.Intern("db.fn/call");
    public static readonly Keyword Purge = Keyword.Intern("db/purge");
    public static readonly Keyword PurgeAttribute = Keyword.Intern("db.purge/attribute");
    public static readonly Keyword PurgeEntity = Keyword.Intern("db.purge/entity");
    public static readonly Keyword HistoryPurgeBefore = Keyword.Intern("db.history.purge/before");
    public static readonly Keyword CurrentTx = Keyword.Intern("db/current-tx");
}
