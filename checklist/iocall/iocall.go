// Package iocall is prodready's one definition of what counts as I/O: the
// calls that leave the process for an HTTP server, a database, a cache, a
// queue or the network, and the calls that write files. The checks ask it
// about one call (Of, Outbound); the LLM stage asks it about the package a
// call goes into (Package). It resolves calls by type where the package
// type-checked and by the file's imports where it did not.
package iocall

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/prodready/prodready/checklist/internal/code"
)

// Kind is what a call talks to.
type Kind string

// Kinds of call.
const (
	None     Kind = ""
	HTTP     Kind = "HTTP"
	Database Kind = "database"
	Network  Kind = "network"
	// Redis and Queue are only told apart by Package: the checks count a
	// cache or a broker as whatever its client library's calls are.
	Redis     Kind = "redis"
	Queue     Kind = "queue"
	FileWrite Kind = "file write"
)

// call names functions (recv "") or methods of one package.
type call struct {
	pkg, recv string
	names     []string
}

func (c call) has(pkg, recv, name string) bool {
	return c.pkg == pkg && c.recv == recv && slices.Contains(c.names, name)
}

// httpCalls are the net/http calls that send a request.
var httpCalls = []call{
	{"net/http", "", []string{"Get", "Head", "Post", "PostForm"}},
	{"net/http", "Client", []string{"Do", "Get", "Head", "Post", "PostForm"}},
	{"net/http", "Transport", []string{"RoundTrip"}},
	{"net/http", "RoundTripper", []string{"RoundTrip"}},
}

// retryableHTTPCalls are go-retryablehttp's, which send requests (and retry
// them by themselves, so Outbound leaves them out).
var retryableHTTPCalls = []call{
	{"github.com/hashicorp/go-retryablehttp", "", []string{"Do", "Get", "Head", "Post", "PostForm"}},
	{"github.com/hashicorp/go-retryablehttp", "Client", []string{"Do", "Get", "Head", "Post", "PostForm"}},
}

func anyHas(calls []call, pkg, recv, name string) bool {
	for _, c := range calls {
		if c.has(pkg, recv, name) {
			return true
		}
	}
	return false
}

// dbTypes are the receiver types whose query methods reach a database.
var dbTypes = map[string][]string{
	"database/sql":                         {"DB", "Tx", "Conn", "Stmt"},
	"github.com/jmoiron/sqlx":              {"DB", "Tx", "Conn", "Stmt", "NamedStmt"},
	"github.com/jackc/pgx/v5":              {"Conn", "Tx"},
	"github.com/jackc/pgx/v4":              {"Conn", "Tx"},
	"github.com/jackc/pgx/v5/pgxpool":      {"Pool", "Conn", "Tx"},
	"github.com/jackc/pgx/v4/pgxpool":      {"Pool", "Conn", "Tx"},
	"github.com/jackc/pgx/v5/pgconn":       {"PgConn"},
	"github.com/redis/go-redis/v9":         {"Client", "ClusterClient", "Cmdable"},
	"go.mongodb.org/mongo-driver/mongo":    {"Collection"},
	"go.mongodb.org/mongo-driver/v2/mongo": {"Collection"},
}

// ReadMethods are database methods that fetch rows.
var ReadMethods = map[string]bool{
	"Query": true, "QueryContext": true, "QueryRow": true, "QueryRowContext": true,
	"Queryx": true, "QueryxContext": true, "QueryRowx": true, "QueryRowxContext": true,
	"Get": true, "GetContext": true, "Select": true, "SelectContext": true,
	"NamedQuery": true, "NamedQueryContext": true, "Find": true, "FindOne": true,
}

// dbMethod reports whether name is a database method that makes a round trip.
func dbMethod(name string) bool {
	if ReadMethods[name] {
		return true
	}
	switch name {
	case "Exec", "ExecContext", "MustExec", "MustExecContext", "NamedExec", "NamedExecContext",
		"Begin", "BeginTx", "Beginx", "BeginTxx", "MustBegin", "Ping", "PingContext",
		"Prepare", "PrepareContext", "Preparex", "PreparexContext", "SendBatch", "CopyFrom",
		"Commit", "InsertOne", "InsertMany", "UpdateOne", "UpdateMany", "DeleteOne", "DeleteMany":
		return true
	}
	return false
}

// Of says whether call leaves the process, and to what: an HTTP request, a
// database round trip, or a dial or DNS lookup. method is the function's name.
func Of(info *types.Info, file *ast.File, call *ast.CallExpr) (kind Kind, method string) {
	ref := code.Resolve(info, file, call.Fun)
	if ref.Pkg == "" {
		return None, ""
	}
	if anyHas(httpCalls, ref.Pkg, ref.Recv, ref.Name) || anyHas(retryableHTTPCalls, ref.Pkg, ref.Recv, ref.Name) {
		return HTTP, ref.Name
	}
	switch ref.Pkg {
	case "net/http", "github.com/hashicorp/go-retryablehttp":
		return None, ""
	case "net":
		if (ref.Recv == "" || ref.Recv == "Dialer") && strings.HasPrefix(ref.Name, "Dial") {
			return Network, ref.Name
		}
		if ref.Recv == "Resolver" && strings.HasPrefix(ref.Name, "Lookup") {
			return Network, ref.Name
		}
		return None, ""
	}
	recvs, ok := dbTypes[ref.Pkg]
	if !ok || ref.Recv == "" {
		return None, ""
	}
	if slices.Contains(recvs, ref.Recv) && dbMethod(ref.Name) {
		return Database, ref.Name
	}
	return None, ""
}

// sharedTypes are database handles safe for concurrent use: pools.
var sharedTypes = map[string][]string{
	"database/sql":                         {"DB"},
	"github.com/jmoiron/sqlx":              {"DB"},
	"github.com/jackc/pgx/v5/pgxpool":      {"Pool"},
	"github.com/jackc/pgx/v4/pgxpool":      {"Pool"},
	"github.com/redis/go-redis/v9":         {"Client", "ClusterClient", "Cmdable"},
	"go.mongodb.org/mongo-driver/mongo":    {"Collection"},
	"go.mongodb.org/mongo-driver/v2/mongo": {"Collection"},
}

// SharedPool reports whether a database call goes through a pool that is
// safe for concurrent use, rather than a single connection or transaction.
func SharedPool(info *types.Info, file *ast.File, call *ast.CallExpr) bool {
	ref := code.Resolve(info, file, call.Fun)
	return slices.Contains(sharedTypes[ref.Pkg], ref.Recv)
}

// packages maps import path prefixes to what a call into them talks to. A
// prefix matches the path itself and anything below it; the first match wins.
var packages = []struct {
	prefix string
	kind   Kind
}{
	{"net/http", Network}, {"net/rpc", Network}, {"net/smtp", Network}, {"net", Network},
	{"google.golang.org/grpc", Network}, {"github.com/go-resty/resty", Network},
	{"database/sql", Database}, {"github.com/jackc/pgx", Database}, {"github.com/jmoiron/sqlx", Database},
	{"gorm.io/gorm", Database}, {"go.mongodb.org/mongo-driver", Database}, {"github.com/lib/pq", Database},
	{"github.com/go-sql-driver/mysql", Database}, {"entgo.io/ent", Database}, {"github.com/uptrace/bun", Database},
	{"github.com/redis/go-redis", Redis}, {"github.com/go-redis/redis", Redis}, {"github.com/gomodule/redigo", Redis},
	{"github.com/segmentio/kafka-go", Queue}, {"github.com/IBM/sarama", Queue}, {"github.com/Shopify/sarama", Queue},
	{"github.com/confluentinc/confluent-kafka-go", Queue}, {"github.com/twmb/franz-go", Queue},
	{"github.com/nats-io", Queue}, {"github.com/rabbitmq/amqp091-go", Queue}, {"github.com/streadway/amqp", Queue},
	{"cloud.google.com/go/pubsub", Queue}, {"github.com/aws/aws-sdk-go-v2/service/sqs", Queue},
	{"github.com/aws/aws-sdk-go-v2/service/sns", Queue}, {"github.com/aws/aws-sdk-go/service/sqs", Queue},
	{"github.com/riverqueue/river", Queue}, {"github.com/hibiken/asynq", Queue},
}

// Package says what a call into the package at path talks to: Network,
// Database, Redis or Queue, or None. It judges by the package alone, which is
// what the LLM stage needs to rank a function by the systems it touches.
func Package(path string) Kind {
	for _, p := range packages {
		if path == p.prefix || strings.HasPrefix(path, p.prefix+"/") {
			return p.kind
		}
	}
	return None
}

// fileWriteFuncs are os (and io/ioutil) functions that change the file system.
var fileWriteFuncs = []string{"WriteFile", "Create", "OpenFile", "Rename", "Remove", "RemoveAll",
	"Mkdir", "MkdirAll", "Truncate", "Symlink", "Link", "CreateTemp"}

// WritesFiles reports whether the function name of the package at path
// changes the file system: os.WriteFile, os.Remove, ioutil.WriteFile and the
// like.
func WritesFiles(path, name string) bool {
	return (path == "os" || path == "io/ioutil") && slices.Contains(fileWriteFuncs, name)
}
