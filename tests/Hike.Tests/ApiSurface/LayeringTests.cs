using System.Reflection;
using Hike.Api;

namespace Hike.Tests.ApiSurface;

/// <summary>
/// The engine's layers depend only downward: nothing below the public face (<c>Hike.Api</c>) names
/// one of its types in a field, property, event, method or constructor signature, base type,
/// interface or generic argument. Checked by reflection over every type of the assembly, compiler
/// generated ones included (a lambda's captures are fields of its closure class).
/// </summary>
public sealed class LayeringTests
{
    private static readonly string[] Below =
        ["Hike.Storage", "Hike.Edn", "Hike.Index", "Hike.Db", "Hike.Transactions", "Hike.Pull", "Hike.Query", "Hike.Versioning", "Hike.Writing"];

    [Fact]
    public void No_layer_below_the_public_face_names_one_of_its_types()
    {
        var assembly = typeof(Database).Assembly;
        var offences = new List<string>();
        foreach (var type in assembly.GetTypes())
        {
            if (!IsBelow(type)) continue;
            foreach (var (where, named) in Signatures(type))
            {
                foreach (var t in Unwrap(named))
                {
                    if (t.Assembly == assembly && t.Namespace == "Hike.Api") offences.Add($"{type.FullName}: {where} names {t.FullName}");
                }
            }
        }
        Assert.True(offences.Count == 0, string.Join("\n", offences.Distinct()));
        // The check sees what it must: the public face itself names its own types.
        Assert.Contains(Signatures(typeof(Connection)), s => Unwrap(s.Type).Contains(typeof(Database)));
    }

    private static bool IsBelow(Type type)
    {
        var ns = type.Namespace ?? "";
        return Below.Any(b => ns == b || ns.StartsWith(b + ".", StringComparison.Ordinal));
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
