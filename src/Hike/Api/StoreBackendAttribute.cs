namespace Hike.Api;

/// <summary>Names the <see cref="IStoreBackend"/> a store assembly provides; <see cref="StoreBackends"/> reads it when it loads the assembly.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class StoreBackendAttribute(Type backend) : Attribute
{
    /// <summary>A type with a parameterless constructor that implements <see cref="IStoreBackend"/>.</summary>
    public Type Backend { get; } = backend;
}
