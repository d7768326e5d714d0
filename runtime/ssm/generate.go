package ssm

//go:generate go run ../awsmodel/awsgen -service ssm -package ssm -ops GetParameter,GetParameters,PutParameter -o types_gen.go
