using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DangVu.Core.Storage;

/// <summary>
/// The schema is part of a module's model (PostgreSQL), so one context type used with two
/// schemas needs two cached models while sharing EF's internal services.
/// </summary>
internal sealed class ModuleModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), (context as ModuleDbContext)?.Schema, designTime);
}
