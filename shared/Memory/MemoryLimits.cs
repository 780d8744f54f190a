namespace BotSociety.Core.Memory;

/// <summary>The bound of each warm memory category.</summary>
public static class MemoryLimits
{
    public static int For(MemoryOptions options, MemoryCategory category) => category switch
    {
        MemoryCategory.Fact => options.MaxFacts,
        MemoryCategory.Relationship => options.MaxRelationships,
        MemoryCategory.Opinion => options.MaxOpinions,
        _ => options.MaxInterests,
    };
}
