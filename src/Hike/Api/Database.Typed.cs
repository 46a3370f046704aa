namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// Runs a query with this database as its only input and returns its rows as <typeparamref name="T"/>s:
    /// <c>db.Q&lt;(string Name, long Age)&gt;("[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]")</c>. See
    /// <see cref="Datalog.Q{T}(object, object[])"/> for the mapping.
    /// </summary>
    public IReadOnlyList<T> Q<T>(object query) => Datalog.Q<T>(Request(query, [this]));

    /// <summary>As <see cref="Q{T}(object)"/>, with one input after this database (an array is one collection input).</summary>
    public IReadOnlyList<T> Q<T>(object query, object? input) => Datalog.Q<T>(Request(query, [this, input]));

    /// <summary>As <see cref="Q{T}(object)"/>, with two inputs after this database.</summary>
    public IReadOnlyList<T> Q<T>(object query, object? input1, object? input2) => Datalog.Q<T>(Request(query, [this, input1, input2]));

    /// <summary>As <see cref="Q{T}(object)"/>, with three inputs after this database.</summary>
    public IReadOnlyList<T> Q<T>(object query, object? input1, object? input2, object? input3) => Datalog.Q<T>(Request(query, [this, input1, input2, input3]));

    /// <summary>As <see cref="Q{T}(object)"/>, with four inputs after this database; for more, a <see cref="QueryRequest"/>.</summary>
    public IReadOnlyList<T> Q<T>(object query, object? input1, object? input2, object? input3, object? input4) =>
        Datalog.Q<T>(Request(query, [this, input1, input2, input3, input4]));

    /// <summary>As <see cref="Q{T}(object)"/>, with this database before the request's inputs, under its token, timeout and row bound.</summary>
    public IReadOnlyList<T> Q<T>(QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Datalog.Q<T>(request.Prepend(this));
    }

    /// <summary>
    /// Runs a query that finds one value (<c>:find ?x .</c>) or one tuple (<c>:find [?a ?b]</c>) with this
    /// database as its only input: <c>db.QValue&lt;long?&gt;("[:find ?e . :where [?e :name \"Ivan\"]]")</c>;
    /// null when it finds nothing. See <see cref="Datalog.QValue{T}(object, object[])"/>.
    /// </summary>
    public T? QValue<T>(object query) => Datalog.QValue<T>(Request(query, [this]));

    /// <summary>As <see cref="QValue{T}(object)"/>, with one input after this database.</summary>
    public T? QValue<T>(object query, object? input) => Datalog.QValue<T>(Request(query, [this, input]));

    /// <summary>As <see cref="QValue{T}(object)"/>, with two inputs after this database.</summary>
    public T? QValue<T>(object query, object? input1, object? input2) => Datalog.QValue<T>(Request(query, [this, input1, input2]));

    /// <summary>As <see cref="QValue{T}(object)"/>, with three inputs after this database.</summary>
    public T? QValue<T>(object query, object? input1, object? input2, object? input3) => Datalog.QValue<T>(Request(query, [this, input1, input2, input3]));

    /// <summary>As <see cref="QValue{T}(object)"/>, with four inputs after this database; for more, a <see cref="QueryRequest"/>.</summary>
    public T? QValue<T>(object query, object? input1, object? input2, object? input3, object? input4) =>
        Datalog.QValue<T>(Request(query, [this, input1, input2, input3, input4]));

    /// <summary>As <see cref="QValue{T}(object)"/>, with this database before the request's inputs, under its token, timeout and row bound.</summary>
    public T? QValue<T>(QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Datalog.QValue<T>(request.Prepend(this));
    }

    /// <summary>
    /// Pulls <paramref name="pattern"/> for <paramref name="eid"/> (as <see cref="Pull(object, object, CancellationToken)"/>) into a
    /// <typeparamref name="T"/>: <c>db.Pull&lt;Person&gt;("[*]", 1)</c>. Attributes fill members by name
    /// without namespace (<c>:person/first-name</c> → <c>FirstName</c>, case and dashes ignored; <c>:db/id</c> → <c>Id</c>),
    /// or the member a <see cref="HikeAttributeAttribute"/> names them on; nested pulls fill nested types, a
    /// ref pulled as <c>{:db/id 5}</c> fills a <see cref="long"/>, cardinality-many values fill arrays,
    /// lists and sets. Missing attributes leave the member's default; unmatched attributes are ignored.
    /// Default when the entity has nothing to pull.
    /// </summary>
    /// <exception cref="HikeException">As <see cref="Pull(object, object, CancellationToken)"/>; <c>pull/result-type</c> when a value does not fit its member (the message names the attribute).</exception>
    public T? Pull<T>(object pattern, object eid, CancellationToken cancellationToken = default) =>
        PulledObjects.To<T>(Pull(pattern, eid, cancellationToken), eid);

    /// <summary>As <see cref="PullMany(object, IEnumerable{object}, CancellationToken)"/>, each pulled map into a <typeparamref name="T"/> as <see cref="Pull{T}"/> fills it (default where nothing was pulled).</summary>
    public IReadOnlyList<T?> PullMany<T>(object pattern, IEnumerable<object?> eids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eids);
        var ids = eids as IReadOnlyList<object?> ?? [.. eids];
        var pulled = PullMany(pattern, ids, cancellationToken);
        var typed = new T?[pulled.Count];
        for (int i = 0; i < typed.Length; i++) typed[i] = PulledObjects.To<T>(pulled[i], ids[i]!);
        return typed;
    }

    private static QueryRequest Request(object query, object?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new QueryRequest(query, inputs);
    }
}
