using System.Reflection;
using Hike.Api;

namespace Hike.Tests.ApiSurface;

/// <summary>
/// The engine's layers depend only downward (docs/architecture.md): a type names, in a field,
/// property, event, method or constructor signature, base type, interface or generic argument, only
/// types of its own layer, of the layers below it, or of the root namespace (errors and their codes).
/// In particular nothing below the public face (<c>Hike.Api</c>) names one of its types: the writing
/// layer hands back outcomes, never a <c>Database</c> or <c>TxReport</c>. Checked by reflection over
/// every type of the assembly, compiler generated ones included (a lambda's captures are fields of
/// its closure class).
/// </summary>
public sealed class LayeringTests
{
    /// <summary>The layers, top to bottom; a namespace belongs to the longest that prefixes it.</summary>
    private static readonly string[] Layers =
    [
        "Hike.Api", "Hike.Writing", "Hike.Query", "Hike.Pull", "Hike.Transactions", "Hike.Versioning", "Hike.Db",
        "Hike.Index.Stored", "Hike.FullText", "Hike.Index.Codec", "Hike.Index.Datoms", "Hike.Index.Tree", "Hike.Storage", "Hike.Edn",
    ];

    [Fact]
    public void Every_layer_names_only_types_of_its_own_layer_and_the_layers_below()
    {
        var assembly = typeof(Database).Assembly;
        var offences = new List<string>();
        foreach (var type in assembly.GetTypes())
        {
            if (LayerOf(type) is not { } layer) continue;
            foreach (var (where, named) in Signatures(type))
            {
                foreach (var t in Unwrap(named))
                {
                    if (t.Assembly == assembly && LayerOf(t) is { } above && above < layer) offences.Add($"{type.FullName} ({Layers[layer]}): {where} names {t.FullName} ({Layers[above]})");
                }
            }
        }
        Assert.True(offences.Count == 0, string.Join("\n", offences.Distinct()));
        // The check sees what it must: the public face names its own types, the writer its runtime.
        Assert.Contains(Signatures(typeof(Connection)), s => Unwrap(s.Type).Contains(typeof(Database)));
        Assert.Equal(Array.IndexOf(Layers, "Hike.Writing"), LayerOf(typeof(Hike.Writing.WriteOutcome)));
        Assert.Equal(Array.IndexOf(Layers, "Hike.Query"), LayerOf(typeof(Hike.Query.QueryLimits)));
    }

    /// <summary>The index of <paramref name="type"/>'s layer in <see cref="Layers"/>; null for the root namespace.</summary>
    private static int? LayerOf(Type type)
    {
        var ns = type.Namespace ?? "";
        int? found = null;
        for (int i = 0; i < Layers.Length; i++)
        {
            if ((ns == Layers[i] || ns.StartsWith(Layers[i] + ".", StringComparison.Ordinal)) && (found is not { } f || Layers[i].Length > Layers[f].Length)) found = i;
        }
        return found;
    }

    private static IEnumerable<(string Where, Type Type)> Signatures(Type type)
    {
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        if (type.BaseType is { } b) yield return ("base type", b);
        foreach (var i in type.GetInterfaces()) yield return ("interface", i);
        foreach (var f in type.GetFields(all)) yield return ($"field {f.Name}", f.FieldType);
        foreach (var p in type.GetProperties(all)) yield return ($"property {p.Name}", p.PropertyType);
        foreach (var e in type.GetEvents(all)) yield return ($"event {e.Name}", e.EventHandlerType!);
        foreach (var m in type.GetMethods(all))
        {
            yield return ($"method {m.Name}", m.ReturnType);
            foreach (var p in m.GetParameters()) yield return ($"method {m.Name}", p.ParameterType);
        }
        foreach (var c in type.GetConstructors(all))
        {
            foreach (var p in c.GetParameters()) yield return ("constructor", p.ParameterType);
        }
    }

    /// <summary>The type with its element type and generic arguments, recursively.</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        var pending = new Stack<Type>([type]);
        while (pending.TryPop(out var t))
        {
            yield return t;
            if (t.HasElementType) pending.Push(t.GetElementType()!);
            if (t.IsGenericType && !t.IsGenericTypeDefinition) foreach (var a in t.GetGenericArguments()) pending.Push(a);
        }
    }
}
