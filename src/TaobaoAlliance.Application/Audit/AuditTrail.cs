using System.Globalization;
using System.Text.Json;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Audit;

namespace TaobaoAlliance.Application.Audit;

/// <summary>
/// The one way to write the audit log: who did what to which entity, with details as camelCase JSON.
/// The row is added to the caller's unit of work, so it commits (or not) with the change it records.
/// </summary>
public sealed class AuditTrail(AllianceDbContext db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Record(long actorUserId, string action, string entityType, long entityId, object details) =>
        Record(actorUserId, action, entityType, entityId.ToString(CultureInfo.InvariantCulture), details);

    /// <summary>A null actor is the system or a shop's server through the API (shown as "System").</summary>
    public void Record(long? actorUserId, string action, string entityType, long entityId, object details) =>
        Record(actorUserId, action, entityType, entityId.ToString(CultureInfo.InvariantCulture), details);

    public void Record(long? actorUserId, string action, string entityType, string entityId, object details) =>
        db.AuditLog.Add(new AuditLogEntry
        {
            At = clock.GetUtcNow(),
            ActorUserId = actorUserId,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Details = JsonSerializer.Serialize(details, Json),
        });
}
