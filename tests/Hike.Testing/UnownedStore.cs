using Hike.Storage;

namespace Hike.Testing;

/// <summary>A view of a store that leaves it open when disposed: for a test whose store outlives what it opens over it.</summary>
internal sealed class UnownedStore(IKeyValueStore inner) : DelegatingStore(inner)
{
    public override void Dispose()
    {
    }
}
